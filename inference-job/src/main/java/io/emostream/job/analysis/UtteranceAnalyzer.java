package io.emostream.job.analysis;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.cues.SpeakerBaseline;
import io.emostream.job.event.EventBuilder;
import io.emostream.job.lexical.LexicalAnalyzer;
import io.emostream.job.lexical.LexicalCues;
import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.job.rationale.Rationale;
import io.emostream.job.rationale.RationaleWriter;
import io.emostream.job.segment.Utterance;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.TranscriptStatus;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * From one utterance to its event: measure the acoustic cues, compare each with the speaker's past (then add
 * this utterance to it), read the words when there is a transcript, ask the model, and write the rationale.
 * Plain Java; the speaker's baseline is passed in and updated in place.
 */
public final class UtteranceAnalyzer {
    private final EmotionModel model;
    private final LexicalAnalyzer lexical;
    private final LongConsumer modelMicros;

    /** @param modelMicros told how long each model call took, in microseconds (for a latency metric) */
    public UtteranceAnalyzer(EmotionModel model, LexicalAnalyzer lexical, LongConsumer modelMicros) {
        this.model = model;
        this.lexical = lexical;
        this.modelMicros = modelMicros;
    }

    /** @param transcript what was said, or null with {@code transcriptStatus} saying why there is none */
    public EmotionEvent analyse(Utterance utterance, SpeakerBaseline baseline, String transcript,
                                TranscriptStatus transcriptStatus) throws Exception {
        AcousticCues acoustic = AcousticCues.measure(utterance.samples);
        boolean knowsSpeaker = baseline.heardSeconds() >= SpeakerBaseline.PRIOR_SECONDS;
        List<CueReading> cues = acoustic.asMeasurements().stream()
                .map(m -> new CueReading(m.name(), m.value(), m.unit(), finite(baseline.zScore(m.name(), m.value())),
                        finite(baseline.usualValue(m.name()))))
                .toList();
        // The utterance is compared with the speaker's past, not with itself: the baseline learns it afterwards.
        baseline.update(acoustic, acoustic.speechSeconds());
        LexicalEvidence words = evidence(transcript == null ? LexicalCues.NONE : lexical.analyze(transcript));
        long started = System.nanoTime();
        EmotionEstimate estimate = model.estimate(List.of(new ModelInput(utterance.id(), utterance.samples, cues, words,
                transcript))).get(0);
        modelMicros.accept((System.nanoTime() - started) / 1000);
        Rationale rationale = RationaleWriter.write(estimate, cues, words, knowsSpeaker);
        return EventBuilder.build(utterance, transcript, transcriptStatus, cues, estimate, rationale, model.id(),
                System.currentTimeMillis());
    }

    /** The words as a model sees them: valence, the words that carried it (unsigned), keywords by emotion. */
    static LexicalEvidence evidence(LexicalCues cues) {
        List<String> words = cues.valence().drivers().stream()
                .map(driver -> driver.startsWith("+") || driver.startsWith("-") ? driver.substring(1) : driver)
                .toList();
        return new LexicalEvidence(cues.valence().compound(), words, cues.keywords().byEmotion());
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
