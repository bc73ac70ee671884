package io.emostream.job.model.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.emostream.job.EmotionModels;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.job.model.onnx.ModelCard;
import io.emostream.testkit.TinySerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TensorRT backend's own work (cutting batches into runs the profile accepts, writing audio and masks into the
 * engine's buffers, reading its outputs, labelling) on ONNX Runtime behind the engine interface
 * ({@link OnnxRuntimeTensorRt}), compared with the ONNX backend on the same model. The tiny model's scores depend on
 * the mean energy of the unpadded audio, so any padding that leaks into a result shows.
 */
class TensorRtEmotionModelTest {
    private static final float[] WEIGHT = {1f, -1f, 0.5f};
    private static final float[] BIAS = {0f, 0.2f, -0.1f};

    /** A directory whose card names the same ONNX file as "file" (for onnx:DIR) and "engine" (for this backend). */
    private static Path modelDir(Path dir, String mask, boolean dimensions, int maxBatch) throws Exception {
        TinySerModel.write(dir.resolve("model.onnx"), WEIGHT, BIAS, mask, dimensions);
        Files.writeString(dir.resolve(ModelCard.FILE_NAME), """
                {"name": "tiny", "file": "model.onnx", "engine": "model.onnx",
                 "input": {"kind": "waveform", "name": "waveform"%s, "maxSeconds": 10},
                 "output": {"name": "logits", "scores": "logits"},
                 %s
                 "labels": ["neutral", "happy", "sad"], "maxBatchSize": %d}
                """.formatted(mask == null ? "" : ", \"mask\": \"" + mask + "\"",
                dimensions ? "\"dimensions\": {\"name\": \"dims\", \"arousal\": 0, \"valence\": 1}," : "", maxBatch));
        return dir;
    }

    /** Batches of 2 to 3, 0.25 s to 10 s: small enough that a batch of seven is split and padded. */
    private static OnnxRuntimeTensorRt engine() {
        return new OnnxRuntimeTensorRt(new ShapeRange(new long[] {2, 4_000}, new long[] {3, 64_000}, new long[] {3, 160_000}));
    }

    private static ModelInput tone(double amplitude, int samples) {
        float[] audio = new float[samples];
        Arrays.fill(audio, (float) amplitude);
        return new ModelInput("u", audio, List.of(), LexicalEvidence.NONE, null);
    }

    private static List<EmotionEstimate> onnx(Path dir, List<ModelInput> batch) throws Exception {
        try (EmotionModel model = EmotionModels.create("onnx:" + dir)) {
            model.open();
            return model.estimate(batch);
        }
    }

    @Test
    void aBatchLargerThanTheProfileIsSplitPaddedAndGivesTheOnnxResultsInOrder(@TempDir Path dir) throws Exception {
        Path model = modelDir(dir, "attention_mask", true, 8);
        List<ModelInput> batch = new ArrayList<>();
        int[] lengths = {16_000, 1_000, 48_000, 2_000, 16_000, 200_000, 3_999};
        for (int i = 0; i < lengths.length; i++) {
            batch.add(tone(0.1 * (i + 1), lengths[i]));
        }
        OnnxRuntimeTensorRt engine = engine();

        List<EmotionEstimate> estimates;
        try (TensorRtEmotionModel trt = new TensorRtEmotionModel(ModelCard.read(model, "engine"), engine)) {
            trt.open();
            estimates = trt.estimate(batch);
            assertThat(trt.id()).matches("tensorrt:tiny@sha256:[0-9a-f]{12}");
        }

        // 200,000 samples are cut to the card's 10 s, as onnx:DIR cuts them.
        List<EmotionEstimate> expected = onnx(model, batch);
        for (int i = 0; i < batch.size(); i++) {
            for (String label : List.of("neutral", "happy", "sad")) {
                assertThat(estimates.get(i).scores().get(label)).as("utterance %d %s", i, label)
                        .isCloseTo(expected.get(i).scores().get(label), within(1e-6));
            }
            assertThat(estimates.get(i).label()).isEqualTo(expected.get(i).label());
            assertThat(estimates.get(i).arousal()).isCloseTo(expected.get(i).arousal(), within(1e-6));
            assertThat(estimates.get(i).valence()).isCloseTo(expected.get(i).valence(), within(1e-6));
        }
        // Sorted by length, three to a run: the three short ones padded to the profile's 4,000 samples, the last
        // run of one padded to its two rows.
        assertThat(engine.runs).extracting(Arrays::toString)
                .containsExactly("[3, 4000]", "[3, 48000]", "[2, 160000]");
    }

    @Test
    void withoutAMaskOnlyUtterancesOfOneLengthShareARun(@TempDir Path dir) throws Exception {
        Path model = modelDir(dir, null, false, 8);
        List<ModelInput> batch = List.of(tone(0.2, 8_000), tone(0.3, 16_000), tone(0.4, 8_000), tone(0.5, 8_000),
                tone(0.6, 8_000));
        OnnxRuntimeTensorRt engine = engine();

        List<EmotionEstimate> estimates;
        try (TensorRtEmotionModel trt = new TensorRtEmotionModel(ModelCard.read(model, "engine"), engine)) {
            trt.open();
            estimates = trt.estimate(batch);
        }

        List<EmotionEstimate> expected = onnx(model, batch);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(estimates.get(i).scores().get("happy")).isCloseTo(expected.get(i).scores().get("happy"), within(1e-6));
        }
        assertThat(engine.runs).extracting(Arrays::toString)
                .containsExactly("[3, 8000]", "[2, 8000]", "[2, 16000]");
    }

    @Test
    void anUnmaskedUtteranceShorterThanTheProfileIsPaddedWithSilence(@TempDir Path dir) throws Exception {
        Path model = modelDir(dir, null, false, 8);
        try (TensorRtEmotionModel trt = new TensorRtEmotionModel(ModelCard.read(model, "engine"), engine())) {
            trt.open();
            EmotionEstimate estimate = trt.estimate(List.of(tone(0.5, 2_000))).get(0);

            // Half the engine's 4,000 samples are silence: the model hears half the energy of 0.5².
            double energy = 0.25 * 2_000 / 4_000;
            double[] logits = {energy * WEIGHT[0] + BIAS[0], energy * WEIGHT[1] + BIAS[1], energy * WEIGHT[2] + BIAS[2]};
            double sum = Arrays.stream(logits).map(Math::exp).sum();
            assertThat(estimate.scores().get("happy")).isCloseTo(Math.exp(logits[1]) / sum, within(1e-6));
        }
    }

    @Test
    void aCardThatDoesNotMatchTheEngineIsRefusedWhenItOpens(@TempDir Path dir) throws Exception {
        Path model = modelDir(dir, "attention_mask", false, 8);
        Path card = model.resolve(ModelCard.FILE_NAME);
        String text = Files.readString(card);

        Files.writeString(card, text.replace("\"labels\": [\"neutral\", \"happy\", \"sad\"]", "\"labels\": [\"neutral\", \"happy\"]"));
        assertThatThrownBy(() -> open(model)).hasMessage(card + " lists 2 labels, but the engine's logits output has 3 classes.");
        Files.writeString(card, text.replace(", \"mask\": \"attention_mask\"", ""));
        assertThatThrownBy(() -> open(model)).hasMessage(card + ": the engine takes an input 'attention_mask' that the card"
                + " does not name; name it as input.mask if it is the attention mask, or export the model with only the"
                + " waveform and its mask as inputs.");
        Files.writeString(card, text.replace("\"maxSeconds\": 10", "\"maxSeconds\": 30"));
        assertThatThrownBy(() -> open(model)).hasMessage(card + ": input.maxSeconds is 30.00, but the engine takes at most"
                + " 10.00 s of audio; lower maxSeconds to that, or rebuild the engine with --profile seconds=…:30.00.");
    }

    private static void open(Path modelDir) throws Exception {
        try (TensorRtEmotionModel model = new TensorRtEmotionModel(ModelCard.read(modelDir, "engine"), engine())) {
            model.open();
        }
    }

    @Test
    void theCardNamesTheEngineOrFallsBackToFile(@TempDir Path dir) throws Exception {
        Path model = modelDir(dir, null, false, 8);
        Files.copy(model.resolve("model.onnx"), model.resolve("model.engine"));
        Path card = model.resolve(ModelCard.FILE_NAME);
        String text = Files.readString(card);

        Files.writeString(card, text.replace("\"engine\": \"model.onnx\"", "\"engine\": \"model.engine\""));
        assertThat(ModelCard.read(model, "engine").file()).isEqualTo(model.resolve("model.engine"));
        assertThat(ModelCard.read(model).file()).isEqualTo(model.resolve("model.onnx"));
        Files.writeString(card, text.replace(", \"engine\": \"model.onnx\"", "").replace("\"file\": \"model.onnx\"", "\"file\": \"model.engine\""));
        assertThat(ModelCard.read(model, "engine").file()).isEqualTo(model.resolve("model.engine"));
        Files.writeString(card, text.replace("\"file\": \"model.onnx\", \"engine\": \"model.onnx\",", ""));
        assertThatThrownBy(() -> ModelCard.read(model, "engine")).hasMessage(card + ": \"engine\" is required.");
        Files.writeString(card, text.replace("\"engine\": \"model.onnx\"", "\"engine\": \"gone.engine\""));
        assertThatThrownBy(() -> ModelCard.read(model, "engine"))
                .hasMessage(card + " names the model file " + model.resolve("gone.engine") + ", which does not exist.");
    }
}
