package io.emostream.launcher.evaluate;

import java.util.Locale;

/**
 * The scale a manifest's arousal, valence and dominance are on, e.g. 1 to 7 for MSP-Podcast's, and their mapping
 * onto the model's −1 to 1: x' = 2 (x − low) / (high − low) − 1, so low becomes −1, the middle 0 and high 1. CCC is
 * not scale-invariant, so a reference left on 1–7 against predictions on −1–1 would measure the offset, not the
 * agreement.
 */
public record DimensionScale(double low, double high) {
    /** The model's own scale: nothing to rescale. */
    public static final DimensionScale MODEL = new DimensionScale(-1, 1);

    public DimensionScale {
        if (!(high > low) || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("a dimension scale runs from a lower to a higher finite value, not "
                    + low + " to " + high);
        }
    }

    /** {@code --dimension-scale LOW:HIGH}, e.g. 1:7; one sentence otherwise. */
    public static DimensionScale parse(String spec) {
        int colon = spec.indexOf(':', 1);
        try {
            if (colon > 0) {
                return new DimensionScale(Double.parseDouble(spec.substring(0, colon).trim()),
                        Double.parseDouble(spec.substring(colon + 1).trim()));
            }
        } catch (NumberFormatException e) {
            // the sentence below says what is expected
        }
        throw new IllegalArgumentException("'" + spec + "' is not a scale LOW:HIGH such as 1:7 (MSP-Podcast) or 1:5 (IEMOCAP)");
    }

    public boolean contains(double value) {
        return value >= low && value <= high;
    }

    /** A value on this scale, on the model's −1 to 1. */
    public double toModel(double value) {
        return 2 * (value - low) / (high - low) - 1;
    }

    @Override
    public String toString() {
        return format(low) + ":" + format(high);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }
}
