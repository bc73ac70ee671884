package io.emostream.job.bench;

import io.emostream.audio.G711;
import io.emostream.job.asr.SpeechRecognizer;
import io.emostream.job.asr.SpeechRecognizers;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.cues.AcousticCues;
import io.emostream.job.cues.SpeakerBaseline;
import io.emostream.job.model.CueEstimator;
import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.job.rationale.RationaleWriter;
import io.emostream.job.segment.SileroVad;
import io.emostream.job.segment.VadState;
import io.emostream.job.stream.StreamRestorer;
import io.emostream.job.stream.StreamState;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU cost of each stage of the job on this machine, as audio-seconds processed per CPU-second of the whole
 * process (so GC and JIT count too). Each stage runs on its own over the same speech, outside Flink: what is
 * measured is our code and the model, not the framework.
 */
public final class StageBenchmark {
    /** One stage's figure over several runs. */
    public record Figure(String stage, double[] audioSecondsPerCpuSecond) {
        public double median() {
            double[] sorted = audioSecondsPerCpuSecond.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        public double min() {
            return Arrays.stream(audioSecondsPerCpuSecond).min().orElse(Double.NaN);
        }

        public double max() {
            return Arrays.stream(audioSecondsPerCpuSecond).max().orElse(Double.NaN);
        }
    }

    private interface Stage {
        /** Processes its input once and returns the audio-seconds it covered. */
        double run() throws Exception;
    }

    private StageBenchmark() {
    }

    /**
     * @param speech  16 kHz speech the streams are cut from (looped as needed)
     * @param streams speaker streams for the VAD stages
     * @param seconds length of each stream
     * @param asr     the speech recogniser to time on one 4 s utterance per run; none to leave it out
     */
    public static List<Figure> measure(float[] speech, int streams, double seconds, int runs,
                                       TranscribeUtterances.Settings asr) throws Exception {
        int frames = (int) (seconds * SileroVad.SAMPLE_RATE / SileroVad.FRAME_SAMPLES);
        float[][][] streamFrames = new float[streams][frames][];
        for (int s = 0; s < streams; s++) {
            int offset = s * 7919;
            for (int f = 0; f < frames; f++) {
                float[] frame = new float[SileroVad.FRAME_SAMPLES];
                for (int i = 0; i < frame.length; i++) {
                    frame[i] = speech[(offset + f * frame.length + i) % speech.length];
                }
                streamFrames[s][f] = frame;
            }
        }
        List<float[]> utterances = new ArrayList<>();
        for (int start = 0; start + 4 * 16000 <= speech.length * 4; start += 4 * 16000) {
            float[] u = new float[4 * 16000];
            for (int i = 0; i < u.length; i++) {
                u[i] = speech[(start + i) % speech.length];
            }
            utterances.add(u);
        }
        List<AudioChunk> mulawCall = mulawChunks(speech, seconds);

        List<Figure> figures = new ArrayList<>();
        try (SileroVad vad = SileroVad.load()) {
            figures.add(time("VAD, one stream per call (batch 1)", runs, () -> {
                for (int s = 0; s < streams; s++) {
                    VadState state = new VadState();
                    for (int f = 0; f < frames; f++) {
                        vad.speechProbabilities(List.of(state), List.of(streamFrames[s][f]));
                    }
                }
                return streams * seconds;
            }));
            figures.add(time("VAD, batched across " + streams + " streams", runs, () -> {
                List<VadState> states = new ArrayList<>();
                for (int s = 0; s < streams; s++) {
                    states.add(new VadState());
                }
                for (int f = 0; f < frames; f++) {
                    List<float[]> batch = new ArrayList<>(streams);
                    for (int s = 0; s < streams; s++) {
                        batch.add(streamFrames[s][f]);
                    }
                    vad.speechProbabilities(states, batch);
                }
                return streams * seconds;
            }));
        }
        // Enough repetitions that each run takes well over the CPU clock's resolution.
        figures.add(time("restore + decode + resample (8 kHz μ-law → 16 kHz)", runs, () -> {
            StreamRestorer restorer = new StreamRestorer(StreamRestorer.Settings.defaults());
            for (int repeat = 0; repeat < 50; repeat++) {
                StreamState state = new StreamState();
                for (AudioChunk chunk : mulawCall) {
                    chunk.getPayload().rewind();
                    restorer.accept(state, chunk);
                }
            }
            return 50 * seconds;
        }));
        figures.add(time("acoustic cues (4 s utterances)", runs, () -> {
            for (int repeat = 0; repeat < 10; repeat++) {
                for (float[] u : utterances) {
                    AcousticCues.measure(u);
                }
            }
            return 10 * utterances.size() * 4.0;
        }));
        List<ModelInput> inputs = new ArrayList<>();
        SpeakerBaseline baseline = new SpeakerBaseline();
        for (float[] u : utterances) {
            AcousticCues cues = AcousticCues.measure(u);
            inputs.add(new ModelInput("u", u, cues.asMeasurements().stream().map(m -> new CueReading(m.name(), m.value(),
                    m.unit(), baseline.zScore(m.name(), m.value()), baseline.usualValue(m.name()))).toList(),
                    LexicalEvidence.NONE, null));
            baseline.update(cues, cues.speechSeconds());
        }
        CueEstimator estimator = new CueEstimator();
        figures.add(time("cue estimator + rationale", runs, () -> {
            for (int repeat = 0; repeat < 2000; repeat++) {
                List<EmotionEstimate> estimates = estimator.estimate(inputs);
                for (int i = 0; i < inputs.size(); i++) {
                    RationaleWriter.write(estimates.get(i), inputs.get(i).cues(), LexicalEvidence.NONE, true);
                }
            }
            return 2000.0 * inputs.size() * 4.0;
        }));
        if (asr.enabled()) {
            try (SpeechRecognizers recognizers = SpeechRecognizers.open(asr);
                 SpeechRecognizer recognizer = recognizers.newRecognizer()) {
                figures.add(time("speech recognition (" + asr.recognizer() + ", 4 s utterance)", runs, () -> {
                    recognizer.transcribe(utterances.get(0));
                    return 4.0;
                }));
            }
        }
        return figures;
    }

    private static Figure time(String name, int runs, Stage stage) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        stage.run();
        double[] rates = new double[runs];
        for (int r = 0; r < runs; r++) {
            long cpu = os.getProcessCpuTime();
            double audio = stage.run();
            rates[r] = audio / ((os.getProcessCpuTime() - cpu) / 1e9);
        }
        return new Figure(name, rates);
    }

    private static List<AudioChunk> mulawChunks(float[] speech, double seconds) {
        int samples8k = (int) (seconds * 8000);
        byte[] mulaw = new byte[samples8k];
        for (int i = 0; i < samples8k; i++) {
            mulaw[i] = G711.linearToUlaw((short) (speech[(2 * i) % speech.length] * 32767));
        }
        List<AudioChunk> chunks = new ArrayList<>();
        for (int seq = 0; seq * 800 < samples8k; seq++) {
            int from = seq * 800;
            int to = Math.min(samples8k, from + 800);
            chunks.add(AudioChunk.newBuilder().setCallId("bench").setChannel(0).setRole(SpeakerRole.CUSTOMER)
                    .setSequence(seq).setFirstSample(from).setCaptureTimeMs(0).setIngestTimeMs(0).setSampleRate(8000)
                    .setEncoding(AudioEncoding.MULAW).setPayload(ByteBuffer.wrap(Arrays.copyOfRange(mulaw, from, to)))
                    .setEndOfStream(to == samples8k).setSource("bench:").setChannels(1).build());
        }
        return chunks;
    }
}
