package io.emostream.job.model.tensorrt;

import io.emostream.job.model.onnx.ModelCard;

/**
 * The optimisation profile {@code build-engine} asks TensorRT for, in the terms a user thinks in: batch sizes and
 * seconds of 16 kHz audio, each {@code min:opt:max}, e.g. {@code batch=1:8:32,seconds=1:8:30}. The engine accepts
 * any shape between min and max and is tuned for opt.
 */
public record EngineProfile(int minBatch, int optBatch, int maxBatch, double minSeconds, double optSeconds, double maxSeconds) {

    public EngineProfile {
        if (minBatch < 1 || optBatch < minBatch || maxBatch < optBatch) {
            throw new IllegalArgumentException("batch needs whole numbers min:opt:max with 1 <= min <= opt <= max, not "
                    + minBatch + ":" + optBatch + ":" + maxBatch);
        }
        if (!(minSeconds > 0) || optSeconds < minSeconds || maxSeconds < optSeconds || !Double.isFinite(maxSeconds)) {
            throw new IllegalArgumentException("seconds needs min:opt:max with 0 < min <= opt <= max, not "
                    + number(minSeconds) + ":" + number(optSeconds) + ":" + number(maxSeconds));
        }
    }

    /**
     * From the card: batches of 1 to its {@code maxBatchSize}, tuned for full ones (the job fills batches under load),
     * and 0.25 s to its {@code maxSeconds} of audio, tuned for 4 s, a typical utterance.
     */
    public static EngineProfile defaults(ModelCard card) {
        double max = card.maxSeconds();
        return new EngineProfile(1, card.maxBatchSize(), card.maxBatchSize(), Math.min(0.25, max), Math.min(4, max), max);
    }

    /** {@code batch=MIN:OPT:MAX,seconds=MIN:OPT:MAX}; a part left out keeps the card's default. */
    public static EngineProfile parse(String text, ModelCard card) {
        EngineProfile profile = defaults(card);
        for (String part : text.split(",")) {
            String[] keyValue = part.strip().split("=", 2);
            String[] values = keyValue.length == 2 ? keyValue[1].split(":") : new String[0];
            if (values.length != 3 || !(keyValue[0].equals("batch") || keyValue[0].equals("seconds"))) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not batch=MIN:OPT:MAX or seconds=MIN:OPT:MAX");
            }
            try {
                profile = keyValue[0].equals("batch")
                        ? new EngineProfile(Integer.parseInt(values[0]), Integer.parseInt(values[1]), Integer.parseInt(values[2]),
                                profile.minSeconds, profile.optSeconds, profile.maxSeconds)
                        : new EngineProfile(profile.minBatch, profile.optBatch, profile.maxBatch, Double.parseDouble(values[0]),
                                Double.parseDouble(values[1]), Double.parseDouble(values[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.strip() + "' holds something that is not a number", e);
            }
        }
        return profile;
    }

    /** The waveform's (and mask's) shapes [batch, samples] at 16 kHz. */
    public ShapeRange shapes() {
        return new ShapeRange(new long[] {minBatch, samples(minSeconds)}, new long[] {optBatch, samples(optSeconds)},
                new long[] {maxBatch, samples(maxSeconds)});
    }

    private static long samples(double seconds) {
        return Math.max(1, Math.round(seconds * 16_000));
    }

    @Override
    public String toString() {
        return "batch=" + minBatch + ":" + optBatch + ":" + maxBatch + ",seconds=" + number(minSeconds) + ":"
                + number(optSeconds) + ":" + number(maxSeconds);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Double.isFinite(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
