package io.emostream.job.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.emostream.audio.SampleDecoder;
import io.emostream.audio.wav.WavFormat;
import io.emostream.audio.wav.WavReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Silero model in the real ONNX Runtime, on silence and on the flite podcast fixture. */
class SileroVadTest {

    /** Frames whose RMS is below this hold no speech: the fixture's pauses are digital silence. */
    private static final double SILENT_RMS = 1e-3;
    /** Frames skipped at each edge of a speech or pause region, where a frame straddles the boundary. */
    private static final int EDGE_FRAMES = 3;

    private static SileroVad vad;
    private static float[] podcast;

    @BeforeAll
    static void loadModelAndSpeech() throws IOException {
        vad = SileroVad.load();
        podcast = readMono16k("podcast-mono-16k.wav");
    }

    @AfterAll
    static void closeModel() {
        vad.close();
    }

    @Test
    void silenceIsNotSpeech() {
        VadState state = new VadState();
        float[] silence = new float[SileroVad.FRAME_SAMPLES];
        for (int frame = 0; frame < SileroVad.SAMPLE_RATE / SileroVad.FRAME_SAMPLES; frame++) {
            float probability = vad.speechProbabilities(List.of(state), List.of(silence))[0];
            assertThat(probability).as("speech probability of silent frame %d", frame).isLessThan(0.1f);
        }
    }

    @Test
    void speechIsSpeechAndThePauseIsNot() {
        List<float[]> frames = frames(podcast, 0);
        float[] probabilities = run(new VadState(), frames);

        // Where the speech and the pause are, found from the signal itself, independently of the model.
        boolean[] silent = new boolean[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            silent[i] = rms(frames.get(i)) < SILENT_RMS;
        }
        int[] pause = longestRun(silent, true);
        assertThat(pause[1] - pause[0]).as("frames in the fixture's 0.5 s pause").isBetween(12, 16);
        List<Float> speech = new ArrayList<>();
        List<Float> pauseInterior = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            if (i >= pause[0] + EDGE_FRAMES && i < pause[1] - EDGE_FRAMES) {
                pauseInterior.add(probabilities[i]);
            } else if (isInsideSpeech(silent, i)) {
                speech.add(probabilities[i]);
            }
        }
        assertThat(speech).as("frames inside the two sentences").hasSizeGreaterThan(80);
        assertThat(fraction(speech, p -> p > 0.5f)).as("share of speech frames scored as speech")
                .isGreaterThanOrEqualTo(0.9);
        assertThat(fraction(pauseInterior, p -> p < 0.1f)).as("share of pause frames scored as silence")
                .isGreaterThanOrEqualTo(0.8);
    }

    /**
     * The speech test above passes even with the context dropped or misplaced (the model then only dips, here
     * and there, inside sentences), so the wiring is checked against Silero's reference loop, written out plainly
     * on ONNX Runtime's own API: input = context + frame, state in, stateN and the frame's tail carried to the next.
     */
    @Test
    void matchesSilerosReferenceLoopRunDirectlyOnOnnxRuntime() throws Exception {
        List<float[]> frames = frames(podcast, 0);
        float[] ours = run(new VadState(), frames);

        byte[] model;
        try (InputStream in = SileroVad.class.getResourceAsStream(SileroVad.MODEL_RESOURCE)) {
            model = in.readAllBytes();
        }
        // DJL's engine has already created ONNX Runtime's one environment (in @BeforeAll): had this come first,
        // DJL's engine would fail to start in this JVM.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options)) {
                float[][][] state = new float[2][1][128];
                float[] context = new float[64];
                for (int i = 0; i < frames.size(); i++) {
                    float[][] input = new float[1][64 + 512];
                    System.arraycopy(context, 0, input[0], 0, 64);
                    System.arraycopy(frames.get(i), 0, input[0], 64, 512);
                    try (OnnxTensor x = OnnxTensor.createTensor(env, input);
                            OnnxTensor h = OnnxTensor.createTensor(env, state);
                            OnnxTensor sr = OnnxTensor.createTensor(env, 16_000L);
                            OrtSession.Result result = session.run(Map.of("input", x, "state", h, "sr", sr))) {
                        float reference = ((float[][]) result.get("output").orElseThrow().getValue())[0][0];
                        state = (float[][][]) result.get("stateN").orElseThrow().getValue();
                        context = Arrays.copyOfRange(input[0], input[0].length - 64, input[0].length);
                        assertThat(ours[i]).as("frame %d", i).isCloseTo(reference, within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void streamsInOneBatchScoreExactlyAsTheyWouldAlone() {
        List<float[]> first = frames(podcast, 0);
        // The same podcast half a second later is a different stream at every frame.
        List<float[]> second = frames(podcast, SileroVad.SAMPLE_RATE / 2);
        int count = Math.min(first.size(), second.size());

        float[] firstAlone = run(new VadState(), first.subList(0, count));
        float[] secondAlone = run(new VadState(), second.subList(0, count));

        VadState firstState = new VadState();
        VadState secondState = new VadState();
        for (int i = 0; i < count; i++) {
            float[] together = vad.speechProbabilities(List.of(firstState, secondState),
                    List.of(first.get(i), second.get(i)));
            assertThat(together[0]).as("first stream, frame %d", i).isCloseTo(firstAlone[i], within(1e-5f));
            assertThat(together[1]).as("second stream, frame %d", i).isCloseTo(secondAlone[i], within(1e-5f));
        }
    }

    @Test
    void theStateAloneCarriesAStreamAcrossSnapshotsAndModelInstances() throws Exception {
        List<float[]> frames = frames(podcast, 0);
        float[] inOneSitting;
        try (SileroVad fresh = SileroVad.load()) {
            inOneSitting = run(fresh, new VadState(), frames);
        }

        // Every frame goes to the other model instance, with a state that went through a snapshot and back.
        try (SileroVad other = SileroVad.load()) {
            VadState state = new VadState();
            for (int i = 0; i < frames.size(); i++) {
                state = snapshotAndRestore(state);
                SileroVad model = i % 2 == 0 ? vad : other;
                float probability = model.speechProbabilities(List.of(state), List.of(frames.get(i)))[0];
                assertThat(probability).as("frame %d", i).isCloseTo(inOneSitting[i], within(1e-6f));
            }
        }
    }

    @Test
    void rejectsFramesOfTheWrongLengthAndMismatchedBatches() {
        VadState state = new VadState();
        assertThatThrownBy(() -> vad.speechProbabilities(List.of(state), List.of(new float[480])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("480");
        assertThatThrownBy(() -> vad.speechProbabilities(List.of(state, new VadState()),
                List.of(new float[SileroVad.FRAME_SAMPLES])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vad.speechProbabilities(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(state.getContext()).as("a rejected call leaves the state alone").containsOnly(0f);
    }

    private static float[] run(VadState state, List<float[]> frames) {
        return run(vad, state, frames);
    }

    private static float[] run(SileroVad model, VadState state, List<float[]> frames) {
        float[] probabilities = new float[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            probabilities[i] = model.speechProbabilities(List.of(state), List.of(frames.get(i)))[0];
        }
        return probabilities;
    }

    /** Whole frames of {@code samples} from {@code start}; a trailing partial frame is dropped. */
    private static List<float[]> frames(float[] samples, int start) {
        List<float[]> frames = new ArrayList<>();
        for (int at = start; at + SileroVad.FRAME_SAMPLES <= samples.length; at += SileroVad.FRAME_SAMPLES) {
            frames.add(Arrays.copyOfRange(samples, at, at + SileroVad.FRAME_SAMPLES));
        }
        return frames;
    }

    /** Whether frame {@code i} and the {@value #EDGE_FRAMES} frames either side of it all hold sound. */
    private static boolean isInsideSpeech(boolean[] silent, int i) {
        for (int j = i - EDGE_FRAMES; j <= i + EDGE_FRAMES; j++) {
            if (j < 0 || j >= silent.length || silent[j]) {
                return false;
            }
        }
        return true;
    }

    private static double fraction(List<Float> values, Predicate<Float> test) {
        return (double) values.stream().filter(test).count() / values.size();
    }

    private static double rms(float[] frame) {
        double sum = 0;
        for (float sample : frame) {
            sum += sample * sample;
        }
        return Math.sqrt(sum / frame.length);
    }

    /** [start, end) of the longest run of {@code value} in {@code flags}. */
    private static int[] longestRun(boolean[] flags, boolean value) {
        int[] best = {0, 0};
        for (int start = 0; start < flags.length; ) {
            int end = start;
            while (end < flags.length && flags[end] == value) {
                end++;
            }
            if (end - start > best[1] - best[0]) {
                best = new int[] {start, end};
            }
            start = Math.max(end, start + 1);
        }
        return best;
    }

    private static VadState snapshotAndRestore(VadState state) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (VadState) in.readObject();
        }
    }

    private static float[] readMono16k(String name) throws IOException {
        String folder = System.getProperty("emostream.fixtures");
        assertThat(folder).as("system property emostream.fixtures, which the Maven build sets").isNotNull();
        try (InputStream in = Files.newInputStream(Path.of(folder, name)); WavReader reader = WavReader.open(in)) {
            WavFormat format = reader.format();
            assertThat(format.sampleRate()).isEqualTo(SileroVad.SAMPLE_RATE);
            assertThat(format.channels()).isEqualTo(1);
            ByteArrayOutputStream pcm = new ByteArrayOutputStream();
            for (byte[][] block; (block = reader.readChannels(4096)) != null; ) {
                pcm.write(block[0]);
            }
            return SampleDecoder.toFloat(pcm.toByteArray(), format.encoding());
        }
    }
}
