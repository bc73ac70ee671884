package io.emostream.job.asr;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.SpeechResult;
import edu.cmu.sphinx.api.StreamSpeechRecognizer;
import edu.cmu.sphinx.util.SphinxLogFormatter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;

/**
 * CMU Sphinx4 with its bundled US-English acoustic model, dictionary and language model: pure Java, offline.
 * Measured here at about 30 % word error on clean read speech and slower than real time, so the job runs it off
 * the main path and lets events go without a transcript when it falls behind.
 */
public final class SphinxRecognizer implements SpeechRecognizer {
    private static final String MODELS = "resource:/edu/cmu/sphinx/models/en-us/";
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(SphinxRecognizer.class);
    /**
     * Sphinx logs every component it configures at INFO, under the logger named after its configuration file, to a
     * console handler it adds unless that logger already has one with its formatter. This one, held here so the
     * logger is not collected, passes on warnings only.
     */
    private static final Logger SPHINX_LOG = Logger.getLogger("default.config");

    static {
        Handler warnings = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    LOG.warn("Sphinx4 {}: {}", record.getLoggerName(), record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        warnings.setFormatter(new SphinxLogFormatter());
        warnings.setLevel(Level.WARNING);
        SPHINX_LOG.addHandler(warnings);
        SPHINX_LOG.setUseParentHandlers(false);
    }

    private final StreamSpeechRecognizer recognizer;

    private SphinxRecognizer(StreamSpeechRecognizer recognizer) {
        this.recognizer = recognizer;
    }

    /** Loads the models (about 2 s). */
    public static SphinxRecognizer load() throws IOException {
        Configuration configuration = new Configuration();
        configuration.setAcousticModelPath(MODELS + "en-us");
        configuration.setDictionaryPath(MODELS + "cmudict-en-us.dict");
        configuration.setLanguageModelPath(MODELS + "en-us.lm.bin");
        return new SphinxRecognizer(new StreamSpeechRecognizer(configuration));
    }

    @Override
    public String transcribe(float[] samples) {
        byte[] pcm = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            int s = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767f)));
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        recognizer.startRecognition(new ByteArrayInputStream(pcm));
        StringBuilder transcript = new StringBuilder();
        SpeechResult result;
        while ((result = recognizer.getResult()) != null) {
            String hypothesis = result.getHypothesis().strip();
            if (!hypothesis.isEmpty()) {
                transcript.append(transcript.length() == 0 ? "" : " ").append(hypothesis);
            }
        }
        recognizer.stopRecognition();
        return transcript.toString();
    }

    @Override
    public void close() {
        // StreamSpeechRecognizer holds nothing that outlives it.
    }
}
