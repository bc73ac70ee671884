package io.emostream.job.cues;

/**
 * The height of a peak of a band-limited sequence between its samples, by windowed-sinc interpolation, as Praat
 * reads peaks. The largest sample can sit half a sample from the true peak; for a sharp peak, such as the
 * excitation at glottal closure or the autocorrelation peak of a voice rich in harmonics, that misses the height
 * by up to several percent, and differently in every cycle whenever the period is not a whole number of samples,
 * so that a perfectly periodic voice would read as having shimmer and noise.
 */
final class BandLimitedPeak {
    /** Samples used on each side of the point. */
    static final int HALF_TAPS = 8;
    /**
     * The peak is sought on a grid of quarter samples within one sample of the given one, then by a parabola through
     * the best grid point and its neighbours; over a quarter sample the interpolated curve is a parabola to well
     * under 0.1 % at speech bandwidths.
     */
    private static final int STEPS = 4;
    /** KERNEL[s][k]: weight of the sample at offset k − HALF_TAPS for the point at offset (s − STEPS) / STEPS. */
    private static final double[][] KERNEL = kernel();

    private BandLimitedPeak() {
    }

    /**
     * The maximum of {@code sign}·values within one sample of {@code values[at]}: sign +1 for a peak, −1 for a
     * trough (whose depth is returned as a positive number). Too near either end for the interpolation, it falls
     * back to a parabola through the three samples.
     */
    static double height(double[] values, int at, int sign) {
        if (at - HALF_TAPS < 0 || at + HALF_TAPS >= values.length) {
            if (at == 0 || at == values.length - 1) {
                return sign * values[at];
            }
            return Parabola.maximum(sign * values[at - 1], sign * values[at], sign * values[at + 1]);
        }
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int step = 0; step < KERNEL.length; step++) {
            double value = sign * interpolate(values, at, step);
            if (value > bestValue) {
                bestValue = value;
                best = step;
            }
        }
        if (best == 0 || best == KERNEL.length - 1) {
            return bestValue;
        }
        double before = sign * interpolate(values, at, best - 1);
        double after = sign * interpolate(values, at, best + 1);
        return Parabola.maximum(before, bestValue, after);
    }

    private static double interpolate(double[] values, int at, int step) {
        double[] weights = KERNEL[step];
        double value = 0;
        for (int k = 0; k < weights.length; k++) {
            value += weights[k] * values[at - HALF_TAPS + k];
        }
        return value;
    }

    private static double[][] kernel() {
        double[][] kernel = new double[2 * STEPS + 1][2 * HALF_TAPS + 1];
        for (int step = 0; step < kernel.length; step++) {
            double point = (double) (step - STEPS) / STEPS;
            for (int k = 0; k < kernel[step].length; k++) {
                double distance = point - (k - HALF_TAPS);
                double sinc = distance == 0 ? 1 : Math.sin(Math.PI * distance) / (Math.PI * distance);
                double window = 0.5 + 0.5 * Math.cos(Math.PI * distance / (HALF_TAPS + 1));
                kernel[step][k] = sinc * window;
            }
        }
        return kernel;
    }
}
