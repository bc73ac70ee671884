package io.emostream.job.model.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.emostream.job.EmotionModels;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.job.model.onnx.ModelCard;
import io.emostream.testkit.GpuMachine;
import io.emostream.testkit.TinySerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorRT itself, on a GPU: engines built from the test's ONNX model with TensorRT's builder, run through
 * {@code tensorrt:DIR}, against ONNX Runtime on the same model. Runs wherever {@link GpuMachine} finds an NVIDIA GPU
 * and TensorRT 10.15; skipped elsewhere with that reason.
 */
@Timeout(600)
class TensorRtGpuTest {
    private static final float[] WEIGHT = {1f, -1f, 0.5f};
    private static final float[] BIAS = {0f, 0.2f, -0.1f};
    private static final List<String> LABELS = List.of("neutral", "happy", "sad");

    @TempDir
    Path dir;

    @BeforeEach
    void needsTensorRt() {
        assumeTrue(GpuMachine.hasTensorRt(), GpuMachine.NEEDS);
    }

    /** DIR with the ONNX model and its card, and DIR/engine-NAME with the engine built from it and the same card. */
    private Path buildEngine(String name, boolean fp16, int contexts) throws Exception {
        TinySerModel.write(dir.resolve("model.onnx"), WEIGHT, BIAS, "attention_mask", true);
        String card = """
                {"name": "tiny", "file": "model.onnx",
                 "input": {"kind": "waveform", "name": "waveform", "mask": "attention_mask", "maxSeconds": 10},
                 "output": {"name": "logits", "scores": "logits"},
                 "dimensions": {"name": "dims", "arousal": 0, "valence": 1},
                 "labels": ["neutral", "happy", "sad"], "maxBatchSize": 8}
                """;
        Files.writeString(dir.resolve(ModelCard.FILE_NAME), card);
        Path engineDir = Files.createDirectories(dir.resolve("engine-" + name));
        ShapeRange shapes = EngineProfile.parse("batch=1:8:8,seconds=0.25:4:10", ModelCard.read(dir)).shapes();
        TensorRtLibraries.load("this test", "").build(new EngineBuild(dir.resolve("model.onnx"), engineDir.resolve("model.engine"),
                Map.of("waveform", shapes, "attention_mask", shapes), contexts, fp16));
        Files.writeString(engineDir.resolve(ModelCard.FILE_NAME), card.replace("\"file\": \"model.onnx\"", "\"engine\": \"model.engine\""));
        return engineDir;
    }

    private static List<ModelInput> utterances(int count, long seed) {
        Random random = new Random(seed);
        List<ModelInput> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] audio = new float[2_000 + random.nextInt(150_000)];
            for (int t = 0; t < audio.length; t++) {
                audio[t] = (float) (random.nextGaussian() * 0.3);
            }
            batch.add(new ModelInput("u" + i, audio, List.of(), LexicalEvidence.NONE, null));
        }
        return batch;
    }

    private static List<EmotionEstimate> estimate(String model, List<ModelInput> batch) throws Exception {
        try (EmotionModel opened = EmotionModels.create(model)) {
            opened.open();
            return opened.estimate(batch);
        }
    }

    private static void assertClose(List<EmotionEstimate> actual, List<EmotionEstimate> expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            for (String label : LABELS) {
                assertThat(actual.get(i).scores().get(label)).as("utterance %d, %s", i, label)
                        .isCloseTo(expected.get(i).scores().get(label), within(tolerance));
            }
            assertThat(actual.get(i).arousal()).isCloseTo(expected.get(i).arousal(), within(tolerance));
            assertThat(actual.get(i).valence()).isCloseTo(expected.get(i).valence(), within(tolerance));
        }
    }

    @Test
    void aFloat32EngineGivesOnnxRuntimesScores() throws Exception {
        Path engine = buildEngine("fp32", false, 1);
        List<ModelInput> batch = utterances(21, 1);

        assertClose(estimate("tensorrt:" + engine, batch), estimate("onnx:" + dir, batch), 1e-4);
    }

    @Test
    void anFp16EngineStaysWithinHalfPrecisionOfThem() throws Exception {
        Path engine = buildEngine("fp16", true, 1);
        List<ModelInput> batch = utterances(21, 2);

        assertClose(estimate("tensorrt:" + engine, batch), estimate("onnx:" + dir, batch), 2e-2);
    }

    @Test
    void subtasksShareOneEngineAndRunAtOnce() throws Exception {
        Path engine = buildEngine("shared", false, 2);
        List<ModelInput> batch = utterances(16, 3);
        List<EmotionEstimate> expected = estimate("onnx:" + dir, batch);
        ExecutorService subtasks = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<EmotionEstimate>>> results = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                results.add(subtasks.submit(() -> {
                    List<EmotionEstimate> last = null;
                    for (int round = 0; round < 20; round++) {
                        last = estimate("tensorrt:" + engine, batch);
                    }
                    return last;
                }));
            }
            for (Future<List<EmotionEstimate>> result : results) {
                assertClose(result.get(), expected, 1e-4);
            }
        } finally {
            subtasks.shutdownNow();
        }
    }

    /** A figure to report with the GPU it ran on, not a timed assertion. */
    @Test
    void throughputOnThisGpu() throws Exception {
        Path engine = buildEngine("bench", false, 1);
        List<ModelInput> batch = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            float[] audio = new float[4 * 16_000];
            Arrays.fill(audio, 0.1f);
            batch.add(new ModelInput("u" + i, audio, List.of(), LexicalEvidence.NONE, null));
        }
        try (EmotionModel model = EmotionModels.create("tensorrt:" + engine)) {
            model.open();
            for (int warm = 0; warm < 20; warm++) {
                model.estimate(batch);
            }
            int rounds = 200;
            long started = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                model.estimate(batch);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "tensorrt:%s: %.0f utterances/s (4 s each, batches of 32 in runs of 8), %.2f ms per batch%n",
                    engine, rounds * 32 / seconds, seconds * 1000 / rounds);
            assertThat(model.id()).startsWith("tensorrt:tiny@sha256:");
        }
    }
}
