package io.emostream.job.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.emostream.job.EmotionModels;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.job.model.logmel.LogMel;
import io.emostream.job.model.logmel.LogMelSettings.Log;
import io.emostream.job.model.logmel.LogMelSettings.Style;
import io.emostream.job.model.logmel.LogMelSettings;
import io.emostream.testkit.TinySerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log-mel inputs end to end on ONNX Runtime, with models written by the test ({@link TinySerModel#writeLogMel}):
 * logits = (each mel bin averaged over the frames) · WEIGHT + BIAS. The expected scores are worked out here from
 * {@link LogMel}'s features (checked on their own in LogMelTest), so what is tested is what lies between: the card,
 * the layout, padding to the batch or to the model's fixed length, the mask, and the label order.
 */
class OnnxLogMelModelTest {
    private static final int MELS = 8;
    private static final List<String> LABELS = List.of("neutral", "happy", "sad");
    private static final float[] BIAS = {0f, 0.2f, -0.1f};
    /**
     * Each label listens to a third of the mel bins (low: neutral, middle: happy, high: sad), so tones of different
     * pitch get different labels; and every bin's weights differ, so a transposed or shifted tensor scores otherwise.
     */
    private static final float[][] WEIGHT = new float[MELS][LABELS.size()];

    static {
        for (int m = 0; m < MELS; m++) {
            for (int l = 0; l < LABELS.size(); l++) {
                WEIGHT[m][l] = (m * 3 / MELS == l ? 0.05f : 0f) + 0.001f * m * (l + 1);
            }
        }
    }

    private static Path model(Path dir, String inputFields, boolean melsFirst, int frames, String mask) throws Exception {
        Files.createDirectories(dir);
        TinySerModel.writeLogMel(dir.resolve("model.onnx"), WEIGHT, BIAS, melsFirst, frames, mask);
        Files.writeString(dir.resolve(ModelCard.FILE_NAME), """
                {"name": "tiny-mel", "file": "model.onnx",
                 "input": {"kind": "log-mel", "name": "features"%s, "layout": "%s", %s},
                 "output": {"name": "logits", "scores": "logits"},
                 "labels": ["neutral", "happy", "sad"], "maxBatchSize": 3}
                """.formatted(mask == null ? "" : ", \"mask\": \"" + mask + "\"", melsFirst ? "mels-first" : "frames-first",
                inputFields));
        return dir;
    }

    /** A tone of the given frequency and length: each sits in other mel bins, so each gets other scores. */
    private static ModelInput tone(double hz, int samples) {
        float[] audio = new float[samples];
        for (int i = 0; i < samples; i++) {
            audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / 16_000));
        }
        return new ModelInput("u", audio, List.of(), LexicalEvidence.NONE, null);
    }

    /** Softmax of the tiny model's logits for these frames ([frames][mels]), averaged as the model does. */
    private static double[] expected(float[][] frames) {
        double[] logits = new double[LABELS.size()];
        for (int l = 0; l < logits.length; l++) {
            double value = BIAS[l];
            for (int m = 0; m < MELS; m++) {
                double mean = 0;
                for (float[] frame : frames) {
                    mean += frame[m];
                }
                value += mean / frames.length * WEIGHT[m][l];
            }
            logits[l] = value;
        }
        double max = Arrays.stream(logits).max().orElseThrow();
        double sum = 0;
        for (int l = 0; l < logits.length; l++) {
            logits[l] = Math.exp(logits[l] - max);
            sum += logits[l];
        }
        for (int l = 0; l < logits.length; l++) {
            logits[l] /= sum;
        }
        return logits;
    }

    private static void assertScores(EmotionEstimate estimate, double[] p) {
        int best = 0;
        for (int l = 0; l < p.length; l++) {
            // float32 sums over the frames in the model: agreement to six decimals
            assertThat(estimate.scores().get(LABELS.get(l))).as(LABELS.get(l)).isCloseTo(p[l], within(1e-6));
            best = p[l] > p[best] ? l : best;
        }
        assertThat(estimate.label()).isEqualTo(LABELS.get(best));
    }

    private static final String TORCHAUDIO = "\"melBins\": 8, \"nFft\": 400, \"hop\": 160, \"log\": \"ln\"";

    private static LogMel torchaudio() {
        return new LogMel(LogMelSettings.builder(Style.TORCHAUDIO).melBins(MELS).nFft(400).hop(160).log(Log.LN).build());
    }

    @Test
    void aMaskedBatchOfDifferentLengthsGivesEachUtteranceItsOwnFeaturesInEitherLayout(@TempDir Path dir) throws Exception {
        List<ModelInput> batch = List.of(tone(300, 8_000), tone(2_500, 16_000), tone(6_000, 4_000), tone(1_000, 12_345));
        for (boolean melsFirst : new boolean[] {true, false}) {
            Path modelDir = model(dir.resolve(melsFirst ? "mels-first" : "frames-first"), TORCHAUDIO, melsFirst, 0, "attention_mask");
            try (EmotionModel model = EmotionModels.create("onnx:" + modelDir)) {
                model.open();
                List<EmotionEstimate> estimates = model.estimate(batch);

                for (int i = 0; i < batch.size(); i++) {
                    float[] audio = batch.get(i).samples();
                    assertScores(estimates.get(i), expected(torchaudio().compute(audio, audio.length)));
                }
                assertThat(estimates.stream().map(EmotionEstimate::label)).containsExactly("neutral", "happy", "sad", "neutral");
            }
        }
    }

    @Test
    void withoutAMaskOnlyUtterancesWithTheSameNumberOfFramesShareARun(@TempDir Path dir) throws Exception {
        // 8000 and 8100 samples both give 51 frames; the 4000-sample one gives 26 and runs alone
        List<ModelInput> batch = List.of(tone(300, 8_000), tone(2_500, 4_000), tone(6_000, 8_100));
        try (EmotionModel model = EmotionModels.create("onnx:" + model(dir, TORCHAUDIO, true, 0, null))) {
            model.open();
            List<EmotionEstimate> estimates = model.estimate(batch);

            for (int i = 0; i < batch.size(); i++) {
                float[] audio = batch.get(i).samples();
                assertScores(estimates.get(i), expected(torchaudio().compute(audio, audio.length)));
                assertThat(estimates.get(i).scores()).isEqualTo(model.estimate(List.of(batch.get(i))).get(0).scores());
            }
        }
    }

    @Test
    void aModelWithAFixedNumberOfFramesGetsWhispersSilencePaddingAndCut(@TempDir Path dir) throws Exception {
        // 100 frames: Whisper's 30 s made 1 s; shorter audio is padded with silence before the features, longer is cut
        Path modelDir = model(dir, "\"style\": \"whisper\", \"melBins\": 8", true, 100, null);
        LogMel whisper = new LogMel(LogMelSettings.builder(Style.WHISPER).melBins(MELS).build());
        try (EmotionModel model = EmotionModels.create("onnx:" + modelDir)) {
            model.open();
            ModelInput shorter = tone(440, 6_000);
            ModelInput longer = tone(3_000, 25_000);
            List<EmotionEstimate> estimates = model.estimate(List.of(shorter, longer));

            assertScores(estimates.get(0), expected(whisper.compute(Arrays.copyOf(shorter.samples(), 16_000), 16_000)));
            assertScores(estimates.get(1), expected(whisper.compute(longer.samples(), 16_000)));
        }
    }

    @Test
    void featurePaddingFillsTheFramesPastAnUtterancesEndWithThePadValue(@TempDir Path dir) throws Exception {
        // Kaldi fbank, frames-first, a fixed 50 frames and no mask: 0.3 s gives 28 frames, then 22 of padValue
        Path modelDir = model(dir, "\"style\": \"kaldi\", \"melBins\": 8, \"inputScale\": 32768, \"padValue\": -5",
                false, 50, null);
        LogMel kaldi = new LogMel(LogMelSettings.builder(Style.KALDI).melBins(MELS).inputScale(32768).build());
        try (EmotionModel model = EmotionModels.create("onnx:" + modelDir)) {
            model.open();
            ModelInput utterance = tone(800, 4_800);
            float[][] frames = Arrays.copyOf(kaldi.compute(utterance.samples(), 4_800), 50);
            assertThat(kaldi.frames(4_800)).isEqualTo(28);
            for (int t = 28; t < 50; t++) {
                frames[t] = new float[MELS];
                Arrays.fill(frames[t], -5f);
            }

            assertScores(model.estimate(List.of(utterance)).get(0), expected(frames));
        }
    }

    @Test
    void theReadmesKaldiExampleSpellsOutTheKaldiDefaults(@TempDir Path dir) throws Exception {
        Path modelDir = model(dir, "\"style\": \"kaldi\", \"melBins\": 8", false, 0, "attention_mask");
        Path card = modelDir.resolve(ModelCard.FILE_NAME);
        Files.writeString(card, Files.readString(card).replace("\"style\": \"kaldi\", \"melBins\": 8", """
                "maxSeconds": 20,
                "style": "kaldi", "melBins": 80, "windowMs": 25, "hopMs": 10, "nFft": 512, "fMin": 20, "fMax": 8000,
                "window": "povey", "preemphasis": 0.97, "removeDcOffset": true, "inputScale": 32768, "power": 2,
                "melScale": "kaldi", "log": "ln", "floor": 1.1920928955078125e-7, "normalize": "per-utterance-mean",
                "padding": "features", "padValue": 0"""));

        ModelCard.LogMelInput logMel = ModelCard.read(modelDir).logMel();
        assertThat(logMel.features()).isEqualTo(LogMelSettings.builder(Style.KALDI).melBins(80).inputScale(32768)
                .normalize(LogMelSettings.Normalize.PER_UTTERANCE_MEAN).build());
        assertThat(logMel).isEqualTo(new ModelCard.LogMelInput(logMel.features(), ModelCard.Layout.FRAMES_FIRST,
                ModelCard.Padding.FEATURES, 0f));
    }

    @Test
    void aLogMelCardThatCannotBeComputedOrDoesNotMatchItsModelIsRefusedWithOneSentence(@TempDir Path dir) throws Exception {
        Path modelDir = model(dir, TORCHAUDIO, true, 0, "attention_mask");
        Path card = modelDir.resolve(ModelCard.FILE_NAME);
        String text = Files.readString(card);
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"\"melBins\": 8", "\"melBins\": 16",
                ": input.melBins is 16, but the model's features input has 8 on its mel axis ([-1, 8, -1] read as"
                        + " mels-first); set melBins or layout to match the model."});
        cases.add(new String[] {"\"melBins\": 8, ", "",
                ": input.melBins is required: the number of mel bins the model takes (80 or 128 for Whisper, often 80,"
                        + " 64 or 128 otherwise)."});
        cases.add(new String[] {"\"layout\": \"mels-first\"", "\"layout\": \"time-major\"",
                ": input.layout is one of frames-first, mels-first, not 'time-major'."});
        cases.add(new String[] {"\"layout\": \"mels-first\", ", "",
                ": input.layout is required: frames-first for [batch, frames, mels] (Kaldi fbank), mels-first for"
                        + " [batch, mels, frames] (torchaudio, Whisper)."});
        cases.add(new String[] {"\"nFft\": 400", "\"n_fft\": 400", ": input.n_fft is not a log-mel field; they are "});
        cases.add(new String[] {"\"nFft\": 400", "\"nFft\": \"400\"", ": input.nFft must be a whole number, got \"400\"."});
        cases.add(new String[] {"\"nFft\": 400", "\"nFft\": 256, \"windowLength\": 400",
                ": input.nFft must be at least the window length (400 samples) and at most 65536, got 256."});
        cases.add(new String[] {"\"log\": \"ln\"", "\"log\": \"log2\"", ": input.log is one of none, ln, log10, db, not 'log2'."});
        cases.add(new String[] {"\"kind\": \"log-mel\"", "\"kind\": \"mfcc\"", ": input.kind is \"waveform\" or \"log-mel\", not 'mfcc'."});
        cases.add(new String[] {"\"kind\": \"log-mel\", ", "", ": input.layout describes log-mel features, but input.kind is"
                + " waveform; set \"kind\": \"log-mel\" or remove it."});
        cases.add(new String[] {"\"kind\": \"log-mel\"", "\"kind\": \"log-mel\", \"style\": \"librosa\"",
                ": input.style is one of torchaudio, whisper, kaldi, not 'librosa'."});
        for (String[] c : cases) {
            assertThat(text).contains(c[0]);
            Files.writeString(card, text.replace(c[0], c[1]));
            assertThatThrownBy(() -> open(modelDir)).as(c[1]).hasMessageStartingWith(card + c[2]);
        }

        // a waveform model under a log-mel card
        Path waveform = Files.createDirectories(dir.resolve("waveform"));
        TinySerModel.write(waveform.resolve("model.onnx"), new float[] {1f, -1f, 0.5f}, BIAS, null, false);
        Files.writeString(waveform.resolve(ModelCard.FILE_NAME), text.replace("\"features\"", "\"waveform\"")
                .replace(", \"mask\": \"attention_mask\"", ""));
        assertThatThrownBy(() -> open(waveform)).hasMessage(waveform.resolve(ModelCard.FILE_NAME) + ": the model's input"
                + " waveform has 2 dimensions; emostream needs [batch, frames, mels] or [batch, mels, frames].");
    }

    private static void open(Path modelDir) throws Exception {
        try (EmotionModel model = EmotionModels.create("onnx:" + modelDir)) {
            model.open();
        }
    }
}
