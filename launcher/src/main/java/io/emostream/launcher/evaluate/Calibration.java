package io.emostream.launcher.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * Expected calibration error of the predicted score distributions: how far the model's confidence (its highest
 * score) is from how often it is right. Confidences fall into equal-width bins, (0, 0.1], (0.1, 0.2], … (0.9, 1]
 * for ten (the first also takes 0); ECE = Σ_b (n_b / n) · |accuracy_b − mean confidence_b|.
 *
 * @param bins every bin, empty ones included, in order
 */
public record Calibration(double expectedError, int items, List<Bin> bins) {
    public static final int DEFAULT_BINS = 10;

    /** One bin: its bounds, how many predictions fell in it, their mean confidence and the share of them right. */
    public record Bin(double lower, double upper, int count, double meanConfidence, double accuracy) {
    }

    /**
     * @param confidence the top score of each prediction, in [0, 1]
     * @param correct    whether each prediction was right
     */
    public static Calibration of(double[] confidence, boolean[] correct, int binCount) {
        if (confidence.length != correct.length) {
            throw new IllegalArgumentException(confidence.length + " confidences but " + correct.length + " outcomes");
        }
        int[] count = new int[binCount];
        double[] confidenceSum = new double[binCount];
        int[] right = new int[binCount];
        for (int i = 0; i < confidence.length; i++) {
            int bin = bin(confidence[i], binCount);
            count[bin]++;
            confidenceSum[bin] += confidence[i];
            right[bin] += correct[i] ? 1 : 0;
        }
        List<Bin> bins = new ArrayList<>();
        double error = 0;
        for (int b = 0; b < binCount; b++) {
            double meanConfidence = count[b] == 0 ? Double.NaN : confidenceSum[b] / count[b];
            double accuracy = count[b] == 0 ? Double.NaN : (double) right[b] / count[b];
            bins.add(new Bin((double) b / binCount, (double) (b + 1) / binCount, count[b], meanConfidence, accuracy));
            if (count[b] > 0) {
                error += (double) count[b] / confidence.length * Math.abs(accuracy - meanConfidence);
            }
        }
        return new Calibration(confidence.length == 0 ? Double.NaN : error, confidence.length, List.copyOf(bins));
    }

    /** The bin (lower, upper] holding a confidence; the tolerance keeps 0.7 in (0.6, 0.7] despite rounding. */
    static int bin(double confidence, int binCount) {
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("A confidence lies in [0, 1], not " + confidence);
        }
        int upper = (int) Math.ceil(confidence * binCount - 1e-9);
        return Math.max(0, Math.min(binCount - 1, upper - 1));
    }
}
