package io.emostream.job.model.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.job.model.onnx.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The card checked against what an engine declares, as TensorRT reports it, without a GPU. */
class EngineLayoutTest {
    private static final long[] DYNAMIC = {-1, -1};

    @TempDir
    Path dir;
    private Path cardFile;

    @BeforeEach
    void writeEngine() throws Exception {
        Files.write(dir.resolve("model.engine"), new byte[] {0});
        cardFile = dir.resolve(ModelCard.FILE_NAME);
    }

    private ModelCard card(String extra) throws Exception {
        return card(extra, 20);
    }

    private ModelCard card(String extra, int maxSeconds) throws Exception {
        Files.writeString(cardFile, """
                {"name": "ser", "engine": "model.engine",
                 "input": {"name": "input_values", "mask": "attention_mask", "maxSeconds": %d},
                 "output": {"name": "logits"}, %s
                 "labels": ["neutral", "happy", "sad", "angry"], "maxBatchSize": 16}
                """.formatted(maxSeconds, extra));
        return ModelCard.read(dir, "engine");
    }

    private static ShapeRange range(long minRows, long maxRows, long minLength, long maxLength) {
        return new ShapeRange(new long[] {minRows, minLength}, new long[] {maxRows, maxLength}, new long[] {maxRows, maxLength});
    }

    private static List<TensorSpec> tensors(TensorType mask, long classes) {
        return new ArrayList<>(List.of(new TensorSpec("input_values", true, TensorType.FLOAT, DYNAMIC),
                new TensorSpec("attention_mask", true, mask, DYNAMIC),
                new TensorSpec("logits", false, TensorType.FLOAT, new long[] {-1, classes}),
                new TensorSpec("hidden", false, TensorType.HALF, new long[] {-1, -1, 768})));
    }

    private static EngineDescription engine(List<TensorSpec> tensors, ShapeRange... perProfile) {
        return new EngineDescription(tensors, List.of(perProfile).stream()
                .map(r -> Map.of("input_values", r, "attention_mask", r)).toList());
    }

    @Test
    void theLimitsAreWhatEveryProfileAcceptsWithinTheCard() throws Exception {
        EngineLayout layout = EngineLayout.of(card(""), engine(tensors(TensorType.INT64, 4),
                range(1, 32, 8_000, 480_000), range(2, 24, 4_000, 400_000)));

        assertThat(layout.waveform().name()).isEqualTo("input_values");
        assertThat(layout.mask().type()).isEqualTo(TensorType.INT64);
        assertThat(layout.scores().name()).isEqualTo("logits");
        assertThat(layout.dimensions()).isNull();
        assertThat(layout.limits()).isEqualTo(new BatchLimits(2, 16, 8_000, 320_000));
    }

    @Test
    void anEngineOfFixedShapesNeedsNoProfile() throws Exception {
        List<TensorSpec> fixed = List.of(new TensorSpec("input_values", true, TensorType.HALF, new long[] {4, 160_000}),
                new TensorSpec("attention_mask", true, TensorType.BOOL, new long[] {4, 160_000}),
                new TensorSpec("logits", false, TensorType.HALF, new long[] {4, 4}));

        EngineLayout layout = EngineLayout.of(card("", 10), new EngineDescription(fixed, List.of()));

        assertThat(layout.limits()).isEqualTo(new BatchLimits(4, 4, 160_000, 160_000));
    }

    @Test
    void eachMismatchIsOneSentenceNamingTheCard() throws Exception {
        ShapeRange usual = range(1, 32, 8_000, 480_000);
        assertThatThrownBy(() -> EngineLayout.of(card(""), engine(tensors(TensorType.INT64, 5), usual)))
                .hasMessage(cardFile + " lists 4 labels, but the engine's logits output has 5 classes.");
        assertThatThrownBy(() -> EngineLayout.of(card(""), engine(tensors(TensorType.INT8, 4), usual)))
                .hasMessage(cardFile + ": the engine's attention_mask holds INT8 values; emostream handles [FLOAT, HALF,"
                        + " INT32, INT64, BOOL] there, so export or build the model with one of those.");
        assertThatThrownBy(() -> EngineLayout.of(card("\"dimensions\": {\"name\": \"dims\"},"), engine(tensors(TensorType.INT64, 4), usual)))
                .hasMessage(cardFile + ": dimensions.name 'dims' is not among the engine's outputs, which are [logits, hidden].");
        assertThatThrownBy(() -> EngineLayout.of(card("\"dimensions\": {\"name\": \"hidden\"},"), engine(tensors(TensorType.INT64, 4), usual)))
                .hasMessage(cardFile + ": the engine's hidden has 3 dimensions; emostream needs [batch, n].");
        List<TensorSpec> extra = tensors(TensorType.INT64, 4);
        extra.add(new TensorSpec("speaker_id", true, TensorType.INT64, new long[] {-1}));
        assertThatThrownBy(() -> EngineLayout.of(card(""), engine(extra, usual)))
                .hasMessageStartingWith(cardFile + ": the engine takes an input 'speaker_id' that the card does not name;");
        assertThatThrownBy(() -> EngineLayout.of(card(""), engine(tensors(TensorType.INT64, 4), range(1, 32, 8_000, 160_000))))
                .hasMessage(cardFile + ": input.maxSeconds is 20.00, but the engine takes at most 10.00 s of audio; lower"
                        + " maxSeconds to that, or rebuild the engine with --profile seconds=…:20.00.");
        assertThatThrownBy(() -> EngineLayout.of(card(""), engine(tensors(TensorType.INT64, 4), range(32, 64, 8_000, 480_000))))
                .hasMessage(cardFile + ": maxBatchSize is 16, but the engine runs batches of at least 32; raise maxBatchSize,"
                        + " or rebuild the engine with --profile batch=1:…");
        assertThatThrownBy(() -> EngineLayout.of(card(""), engine(tensors(TensorType.INT64, 4),
                range(1, 8, 8_000, 480_000), range(16, 32, 8_000, 480_000))))
                .hasMessage(cardFile + ": the engine's optimisation profiles have no batch size and length in common for"
                        + " input_values; rebuild it with bin/emotion build-engine.");
        assertThatThrownBy(() -> EngineLayout.of(card(""), new EngineDescription(tensors(TensorType.INT64, 4), List.of())))
                .hasMessage(cardFile + ": the engine gives no optimisation profile for its input input_values; rebuild it"
                        + " with bin/emotion build-engine.");
    }
}
