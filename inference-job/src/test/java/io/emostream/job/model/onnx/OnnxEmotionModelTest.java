package io.emostream.job.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.emostream.job.EmotionModels;
import io.emostream.job.model.CueEstimator;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.testkit.TinySerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX backend on real ONNX Runtime, with models written by the test ({@link TinySerModel}) whose outputs are
 * known: logits = energy * weight + bias, energy = mean of the squared waveform (over the mask, when there is one).
 */
class OnnxEmotionModelTest {
    private static final float[] WEIGHT = {1f, -1f, 0.5f};
    private static final float[] BIAS = {0f, 0.2f, -0.1f};
    private static final List<String> LABELS = List.of("neutral", "happy", "sad");

    private static Path modelDir(Path dir, String mask, boolean dimensions, int maxBatch) throws Exception {
        TinySerModel.write(dir.resolve("model.onnx"), WEIGHT, BIAS, mask, dimensions);
        Files.writeString(dir.resolve(ModelCard.FILE_NAME), """
                {"name": "tiny", "file": "model.onnx",
                 "input": {"kind": "waveform", "name": "waveform"%s, "maxSeconds": 10},
                 "output": {"name": "logits", "scores": "logits"},
                 %s
                 "labels": ["neutral", "happy", "sad"], "maxBatchSize": %d}
                """.formatted(mask == null ? "" : ", \"mask\": \"" + mask + "\"",
                dimensions ? "\"dimensions\": {\"name\": \"dims\", \"arousal\": 0, \"valence\": 1}," : "", maxBatch));
        return dir;
    }

    private static ModelInput tone(double amplitude, int samples) {
        float[] audio = new float[samples];
        Arrays.fill(audio, (float) amplitude);
        return new ModelInput("u", audio, List.of(), LexicalEvidence.NONE, null);
    }

    /** Softmax of the known logits for a given energy. */
    private static double[] expected(double energy) {
        double[] logits = new double[WEIGHT.length];
        double sum = 0;
        for (int l = 0; l < logits.length; l++) {
            logits[l] = Math.exp(energy * WEIGHT[l] + BIAS[l]);
            sum += logits[l];
        }
        for (int l = 0; l < logits.length; l++) {
            logits[l] /= sum;
        }
        return logits;
    }

    private static void assertScores(EmotionEstimate estimate, double energy) {
        double[] p = expected(energy);
        for (int l = 0; l < p.length; l++) {
            // float32 sums over thousands of samples: agreement to five decimals
            assertThat(estimate.scores().get(LABELS.get(l))).as(LABELS.get(l)).isCloseTo(p[l], within(1e-5));
        }
    }

    @Test
    void scoresLabelConfidenceAndCircumplexComeFromTheModelsOutput(@TempDir Path dir) throws Exception {
        try (EmotionModel model = EmotionModels.create("onnx:" + modelDir(dir, null, false, 8))) {
            model.open();
            EmotionEstimate estimate = model.estimate(List.of(tone(0.5, 16_000))).get(0);

            assertScores(estimate, 0.25);
            double[] p = expected(0.25);
            assertThat(estimate.label()).isEqualTo("neutral");
            assertThat(estimate.confidence()).isCloseTo(p[0], within(1e-6));
            double[] happy = CueEstimator.circumplex("happy");
            double[] sad = CueEstimator.circumplex("sad");
            assertThat(estimate.arousal()).isCloseTo(p[1] * happy[0] + p[2] * sad[0], within(1e-6));
            assertThat(estimate.valence()).isCloseTo(p[1] * happy[1] + p[2] * sad[1], within(1e-6));
            assertThat(model.id()).matches("onnx:tiny@sha256:[0-9a-f]{12}");
            assertThat(model.labels().labels()).isEqualTo(LABELS);
        }
    }

    @Test
    void aDimensionalOutputGivesArousalAndValence(@TempDir Path dir) throws Exception {
        try (EmotionModel model = EmotionModels.create("onnx:" + modelDir(dir, null, true, 8))) {
            model.open();
            EmotionEstimate estimate = model.estimate(List.of(tone(Math.sqrt(0.5), 8_000))).get(0);

            assertThat(estimate.arousal()).isCloseTo(0.5, within(1e-6));   // 0.5 * 2 - 0.5
            assertThat(estimate.valence()).isCloseTo(-0.25, within(1e-6)); // 0.5 * -1 + 0.25
        }
    }

    @Test
    void utterancesOfDifferentLengthsInOneBatchGetTheirOwnResultsWithAndWithoutAMask(@TempDir Path dir) throws Exception {
        for (String mask : new String[] {"attention_mask", null}) {
            Path modelDir = Files.createDirectories(dir.resolve(mask == null ? "plain" : "masked"));
            try (EmotionModel model = EmotionModels.create("onnx:" + modelDir(modelDir, mask, false, 3))) {
                model.open();
                List<ModelInput> batch = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    batch.add(tone(0.1 * (i + 1), 4_000 * (i % 3 + 1)));
                }
                List<EmotionEstimate> estimates = model.estimate(batch);

                assertThat(estimates).hasSize(7);
                for (int i = 0; i < 7; i++) {
                    double amplitude = 0.1 * (i + 1);
                    assertScores(estimates.get(i), (float) amplitude * (float) amplitude);
                    assertThat(estimates.get(i).scores()).isEqualTo(model.estimate(List.of(batch.get(i))).get(0).scores());
                }
            }
        }
    }

    @Test
    void utterancesLongerThanTheCardAllowsAreCut(@TempDir Path dir) throws Exception {
        try (EmotionModel model = EmotionModels.create("onnx:" + modelDir(dir, "attention_mask", false, 8))) {
            model.open();
            float[] audio = new float[12 * 16_000];
            Arrays.fill(audio, 0, 10 * 16_000, 0.5f); // the last 2 s are silent and past the card's 10 s

            assertScores(model.estimate(List.of(new ModelInput("u", audio, List.of(), LexicalEvidence.NONE, null))).get(0), 0.25);
        }
    }

    @Test
    void aCardThatDoesNotMatchItsModelIsRefusedWithOneSentence(@TempDir Path dir) throws Exception {
        Path good = modelDir(Files.createDirectories(dir.resolve("good")), "attention_mask", false, 8);
        Path card = good.resolve(ModelCard.FILE_NAME);
        String text = Files.readString(card);

        Files.writeString(card, text.replace("\"labels\": [\"neutral\", \"happy\", \"sad\"]", "\"labels\": [\"neutral\", \"happy\"]"));
        assertThatThrownBy(() -> open(good)).hasMessage(card + " lists 2 labels, but the model's logits output has 3 classes.");
        Files.writeString(card, text.replace("\"name\": \"waveform\"", "\"name\": \"input_values\""));
        assertThatThrownBy(() -> open(good)).hasMessageStartingWith(card + ": input.name 'input_values' is not in the model, which has [");
        Files.writeString(card, text.replace("\"kind\": \"waveform\"", "\"kind\": \"logmel\""));
        assertThatThrownBy(() -> open(good)).hasMessage(card + ": input.kind is \"waveform\" or \"log-mel\", not 'logmel'.");
        Path withDims = modelDir(Files.createDirectories(dir.resolve("dims")), "attention_mask", true, 8);
        Path dimsCard = withDims.resolve(ModelCard.FILE_NAME);
        String dimsText = Files.readString(dimsCard);
        Files.writeString(dimsCard, dimsText.replace("\"arousal\": 0", "\"arousal\": -1"));
        assertThatThrownBy(() -> open(withDims)).hasMessage(dimsCard + ": dimensions.arousal and dimensions.valence are column"
                + " indexes of the dimensional output, 0 or more.");
        Files.writeString(dimsCard, dimsText.replace("\"arousal\": 0", "\"arousal\": 3"));
        CardOutputs outputs = new CardOutputs(ModelCard.read(withDims));
        assertThatThrownBy(() -> outputs.estimate("onnx:tiny", new float[] {1f, 2f, 3f}, new float[] {0.1f, 0.2f}))
                .as("a model whose dimensional output is narrower than the card says, found as it runs")
                .hasMessage("The model onnx:tiny gave 2 values in its dimensional output dims, but its card reads arousal at"
                        + " index 3 and valence at 1; correct the card's \"dimensions\".");
        Files.writeString(card, "{ not json");
        assertThatThrownBy(() -> open(good)).hasMessageStartingWith(card + " is not valid JSON");
        assertThatThrownBy(() -> open(dir.resolve("nowhere"))).hasMessageStartingWith("The model directory " + dir.resolve("nowhere") + " does not exist");
        assertThatThrownBy(() -> EmotionModels.check("tensorflow:x")).hasMessageStartingWith("unknown emotion model 'tensorflow:x'");
    }

    private static void open(Path modelDir) throws Exception {
        try (EmotionModel model = EmotionModels.create("onnx:" + modelDir)) {
            model.open();
        }
    }
}
