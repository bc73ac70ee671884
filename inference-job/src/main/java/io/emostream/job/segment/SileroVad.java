package io.emostream.job.segment;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Silero VAD v5: how likely each 32 ms frame of 16 kHz audio is to hold speech, for many streams in one model run.
 *
 * <p>Each call takes one {@value #FRAME_SAMPLES}-sample frame per stream, preceded by the last
 * {@value #CONTEXT_SAMPLES} samples of that stream's previous frame, and carries the model's recurrent state from
 * frame to frame; both live in the stream's {@link VadState}. Without that context the model still runs, but its
 * decisions flicker and segments come out choppy. Not thread-safe: one instance per Flink subtask.
 */
public final class SileroVad implements AutoCloseable {

    public static final int SAMPLE_RATE = 16_000;
    public static final int FRAME_SAMPLES = 512;
    public static final int CONTEXT_SAMPLES = 64;
    static final int STATE_LAYERS = 2;
    static final int STATE_WIDTH = 128;

    static final String MODEL_RESOURCE = "silero_vad_v5.onnx";
    private static final int INPUT_SAMPLES = CONTEXT_SAMPLES + FRAME_SAMPLES;

    private final Model model;
    private final Predictor<NDList, NDList> predictor;

    private SileroVad(Model model) {
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    /** Loads the model bundled with this class into ONNX Runtime, without touching the network. */
    public static SileroVad load() throws IOException {
        // DJL calls home (HTTP to 169.254.169.254) when its engine first starts unless told it is offline; workers
        // often have no route out, and the job has no business sending anything. Must be set before the engine starts.
        System.setProperty("ai.djl.offline", "true");

        Path file = copyBundledModelToTempFile();
        try {
            // Always on the CPU: the model is tiny and runs every 32 ms, so a GPU stays free for the emotion model.
            Model model = Model.newInstance("silero_vad_v5", Device.cpu(), "OnnxRuntime");
            try {
                // The job runs one model per Flink subtask and gets its parallelism from subtasks: more ONNX Runtime
                // threads would only fight the other subtasks for the same cores.
                model.load(file, null, Map.of("interOpNumThreads", "1", "intraOpNumThreads", "1"));
                return new SileroVad(model);
            } catch (MalformedModelException | IOException | RuntimeException e) {
                model.close();
                throw new IllegalStateException("ONNX Runtime could not load the bundled " + MODEL_RESOURCE + ".", e);
            }
        } finally {
            // The session holds the model in memory once loaded.
            Files.deleteIfExists(file);
        }
    }

    /**
     * Returns, for each stream, the probability that its new frame holds speech, and advances each stream's
     * {@code VadState} (recurrent state and context) past that frame.
     *
     * @param states one state per stream, updated in place
     * @param frames one frame of {@value #FRAME_SAMPLES} samples at {@value #SAMPLE_RATE} Hz per stream, in the
     *               order of {@code states}
     * @return the speech probability of each stream's frame, in [0, 1], in the order of {@code states}
     */
    public float[] speechProbabilities(List<VadState> states, List<float[]> frames) {
        int batch = states.size();
        if (batch == 0 || frames.size() != batch) {
            throw new IllegalArgumentException("Expected one frame per stream for at least one stream, got "
                    + frames.size() + " frames for " + batch + " states.");
        }
        float[] input = new float[batch * INPUT_SAMPLES];
        float[] state = new float[STATE_LAYERS * batch * STATE_WIDTH];
        for (int b = 0; b < batch; b++) {
            VadState stream = states.get(b);
            float[] frame = frames.get(b);
            check(frame.length == FRAME_SAMPLES, "frame", b, frame.length, FRAME_SAMPLES);
            check(stream.getContext().length == CONTEXT_SAMPLES, "context", b, stream.getContext().length,
                    CONTEXT_SAMPLES);
            check(stream.getRecurrentState().length == VadState.RECURRENT_STATE_SIZE, "recurrent state", b,
                    stream.getRecurrentState().length, VadState.RECURRENT_STATE_SIZE);
            System.arraycopy(stream.getContext(), 0, input, b * INPUT_SAMPLES, CONTEXT_SAMPLES);
            System.arraycopy(frame, 0, input, b * INPUT_SAMPLES + CONTEXT_SAMPLES, FRAME_SAMPLES);
            for (int layer = 0; layer < STATE_LAYERS; layer++) {
                System.arraycopy(stream.getRecurrentState(), layer * STATE_WIDTH,
                        state, (layer * batch + b) * STATE_WIDTH, STATE_WIDTH);
            }
        }

        float[] probabilities;
        float[] nextState;
        // Everything allocated for this call, the model's outputs included, is freed when the sub-manager closes.
        try (NDManager call = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList(
                    named(call.create(input, new Shape(batch, INPUT_SAMPLES)), "input"),
                    named(call.create(state, new Shape(STATE_LAYERS, batch, STATE_WIDTH)), "state"),
                    named(call.create((long) SAMPLE_RATE), "sr"));
            NDList outputs = predictor.predict(inputs);
            probabilities = outputs.get("output").toFloatArray();
            nextState = outputs.get("stateN").toFloatArray();
        } catch (TranslateException e) {
            throw new IllegalStateException("Silero VAD failed on a batch of " + batch + " frames.", e);
        }

        for (int b = 0; b < batch; b++) {
            VadState stream = states.get(b);
            for (int layer = 0; layer < STATE_LAYERS; layer++) {
                System.arraycopy(nextState, (layer * batch + b) * STATE_WIDTH,
                        stream.getRecurrentState(), layer * STATE_WIDTH, STATE_WIDTH);
            }
            System.arraycopy(frames.get(b), FRAME_SAMPLES - CONTEXT_SAMPLES, stream.getContext(), 0, CONTEXT_SAMPLES);
        }
        return probabilities;
    }

    /** DJL's ONNX Runtime engine loads a model from a path, not from the classpath. */
    private static Path copyBundledModelToTempFile() throws IOException {
        Path file = null;
        try (InputStream bundled = SileroVad.class.getResourceAsStream(MODEL_RESOURCE)) {
            if (bundled == null) {
                throw new IllegalStateException(MODEL_RESOURCE + " is missing from the classpath beside "
                        + SileroVad.class.getName() + "; the build did not package it.");
            }
            file = Files.createTempFile("silero_vad_v5", ".onnx");
            Files.copy(bundled, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            if (file != null) {
                Files.deleteIfExists(file);
            }
            throw new IOException("Could not write the voice-activity model to a temporary file in "
                    + System.getProperty("java.io.tmpdir") + " (" + e.getMessage()
                    + "); make java.io.tmpdir a writable folder with a few MB free.", e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    private static void check(boolean valid, String what, int stream, int length, int expected) {
        if (!valid) {
            throw new IllegalArgumentException("Stream " + stream + ": " + what + " has " + length
                    + " values, expected " + expected + ".");
        }
    }
}
