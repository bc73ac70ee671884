package io.emostream.job.cues;

import java.util.Arrays;

/** The few summary statistics the cues share, written once so that every cue means the same by "percentile". */
final class Statistics {

    private Statistics() {
    }

    /**
     * The {@code percent}-th percentile of {@code values[0..count)}, interpolating linearly between the closest
     * ranks (NumPy's default), so that a percentile of a short utterance does not jump from frame to frame.
     */
    static double percentile(double[] values, int count, double percent) {
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return percentileOfSorted(sorted, percent);
    }

    static double percentileOfSorted(double[] sorted, double percent) {
        double rank = percent / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    /** Least-squares slope of y against x over the first {@code count} points; 0 when x does not vary. */
    static double slope(double[] x, double[] y, int count) {
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < count; i++) {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= count;
        meanY /= count;
        double covariance = 0;
        double varianceX = 0;
        for (int i = 0; i < count; i++) {
            double dx = x[i] - meanX;
            covariance += dx * (y[i] - meanY);
            varianceX += dx * dx;
        }
        return varianceX > 0 ? covariance / varianceX : 0;
    }
}
