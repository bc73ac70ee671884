package io.emostream.job.model.tensorrt;

import io.emostream.job.model.onnx.ModelCard;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a model card maps onto a TensorRT engine, checked once when the model opens: the waveform, mask and outputs
 * the card names exist with the ranks and types emostream feeds and reads, the engine takes no input the card does
 * not describe, and the shapes all its optimisation profiles accept hold the card's longest utterance. Each mistake
 * is one sentence naming the card.
 *
 * @param mask       null when the card names none
 * @param dimensions null when the card names none
 */
public record EngineLayout(TensorSpec waveform, TensorSpec mask, TensorSpec scores, TensorSpec dimensions, BatchLimits limits) {
    private static final Set<TensorType> AUDIO = EnumSet.of(TensorType.FLOAT, TensorType.HALF);
    private static final Set<TensorType> MASKS = EnumSet.of(TensorType.FLOAT, TensorType.HALF, TensorType.INT32,
            TensorType.INT64, TensorType.BOOL);
    private static final Set<TensorType> SCORES = EnumSet.of(TensorType.FLOAT, TensorType.HALF);

    public static EngineLayout of(ModelCard card, EngineDescription engine) {
        Path cardFile = card.directory().resolve(ModelCard.FILE_NAME);
        Map<String, TensorSpec> inputs = new LinkedHashMap<>();
        Map<String, TensorSpec> outputs = new LinkedHashMap<>();
        engine.tensors().forEach(t -> (t.input() ? inputs : outputs).put(t.name(), t));

        TensorSpec waveform = tensor(cardFile, "input.name", card.input(), inputs, AUDIO, "inputs");
        TensorSpec mask = card.mask() == null ? null : tensor(cardFile, "input.mask", card.mask(), inputs, MASKS, "inputs");
        for (String name : inputs.keySet()) {
            if (!name.equals(card.input()) && !name.equals(card.mask())) {
                throw new IllegalArgumentException(cardFile + ": the engine takes an input '" + name + "' that the card does"
                        + " not name; name it as input.mask if it is the attention mask, or export the model with only the"
                        + " waveform and its mask as inputs.");
            }
        }
        TensorSpec scores = tensor(cardFile, "output.name", card.output(), outputs, SCORES, "outputs");
        long classes = scores.shape()[1];
        if (classes > 0 && classes != card.labels().size()) {
            throw new IllegalArgumentException(cardFile + " lists " + card.labels().size() + " labels, but the engine's "
                    + card.output() + " output has " + classes + " classes.");
        }
        TensorSpec dimensions = null;
        if (card.dimensions() != null) {
            dimensions = tensor(cardFile, "dimensions.name", card.dimensions(), outputs, SCORES, "outputs");
            int needed = Math.max(card.arousalIndex(), card.valenceIndex()) + 1;
            if (dimensions.shape()[1] > 0 && dimensions.shape()[1] < needed) {
                throw new IllegalArgumentException(cardFile + ": dimensions index " + (needed - 1) + " is outside the engine's "
                        + card.dimensions() + " output of " + dimensions.shape()[1] + ".");
            }
        }
        return new EngineLayout(waveform, mask, scores, dimensions, limits(cardFile, card, engine, waveform, mask));
    }

    private static TensorSpec tensor(Path cardFile, String field, String name, Map<String, TensorSpec> tensors,
            Set<TensorType> types, String kind) {
        TensorSpec tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(cardFile + ": " + field + " '" + name + "' is not among the engine's " + kind
                    + ", which are " + tensors.keySet() + ".");
        }
        if (tensor.rank() != 2) {
            throw new IllegalArgumentException(cardFile + ": the engine's " + name + " has " + tensor.rank()
                    + " dimensions; emostream needs [batch, n].");
        }
        if (!types.contains(tensor.type())) {
            throw new IllegalArgumentException(cardFile + ": the engine's " + name + " holds " + tensor.type()
                    + " values; emostream handles " + types + " there, so export or build the model with one of those.");
        }
        return tensor;
    }

    /** What every profile accepts for the waveform (and the mask, which has the waveform's shape), within the card. */
    private static BatchLimits limits(Path cardFile, ModelCard card, EngineDescription engine, TensorSpec waveform, TensorSpec mask) {
        List<Map<String, ShapeRange>> profiles = engine.profiles().isEmpty() ? List.of(Map.of()) : engine.profiles();
        long minRows = 1;
        long maxRows = Long.MAX_VALUE;
        long minLength = 1;
        long maxLength = Long.MAX_VALUE;
        for (Map<String, ShapeRange> profile : profiles) {
            for (TensorSpec input : mask == null ? List.of(waveform) : List.of(waveform, mask)) {
                ShapeRange range = profile.get(input.name());
                if (range == null) {
                    if (input.shape()[0] < 0 || input.shape()[1] < 0) {
                        throw new IllegalArgumentException(cardFile + ": the engine gives no optimisation profile for its"
                                + " input " + input.name() + "; rebuild it with bin/emotion build-engine.");
                    }
                    range = ShapeRange.fixed(input.shape());
                }
                minRows = Math.max(minRows, range.min()[0]);
                maxRows = Math.min(maxRows, range.max()[0]);
                minLength = Math.max(minLength, range.min()[1]);
                maxLength = Math.min(maxLength, range.max()[1]);
            }
        }
        if (minRows > maxRows || minLength > maxLength) {
            throw new IllegalArgumentException(cardFile + ": the engine's optimisation profiles have no batch size and length"
                    + " in common for " + waveform.name() + "; rebuild it with bin/emotion build-engine.");
        }
        if (card.maxBatchSize() < minRows) {
            throw new IllegalArgumentException(cardFile + ": maxBatchSize is " + card.maxBatchSize() + ", but the engine runs"
                    + " batches of at least " + minRows + "; raise maxBatchSize, or rebuild the engine with --profile batch=1:…");
        }
        if (card.maxSamples() > maxLength) {
            throw new IllegalArgumentException(cardFile + ": input.maxSeconds is " + seconds(card.maxSamples()) + ", but the"
                    + " engine takes at most " + seconds(maxLength) + " s of audio; lower maxSeconds to that, or rebuild the"
                    + " engine with --profile seconds=…:" + seconds(card.maxSamples()) + ".");
        }
        if (card.maxSamples() < minLength) {
            throw new IllegalArgumentException(cardFile + ": input.maxSeconds is " + seconds(card.maxSamples()) + ", shorter"
                    + " than the " + seconds(minLength) + " s of audio the engine takes at least; raise maxSeconds.");
        }
        return new BatchLimits((int) minRows, (int) Math.min(maxRows, card.maxBatchSize()), (int) minLength, card.maxSamples());
    }

    private static String seconds(long samples) {
        return String.format(Locale.ROOT, "%.2f", samples / 16_000.0);
    }
}
