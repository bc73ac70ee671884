package io.emostream.launcher.evaluate;

/**
 * Lin's concordance correlation coefficient between references x and predictions y:
 * CCC = 2 ρ σx σy / (σx² + σy² + (μx − μy)²) = 2 cov(x, y) / (σx² + σy² + (μx − μy)²), with population moments
 * (dividing by n). Unlike Pearson's ρ it drops when the predictions are shifted or scaled away from the references,
 * so both must be on the same scale (see {@link DimensionScale}).
 */
public final class Concordance {
    private Concordance() {
    }

    /** The CCC; NaN when there are no pairs, or when both sides are constant and equal (0 / 0). */
    public static double ccc(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " references but " + y.length + " predictions");
        }
        int n = x.length;
        if (n == 0) {
            return Double.NaN;
        }
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= n;
        meanY /= n;
        double varX = 0;
        double varY = 0;
        double cov = 0;
        for (int i = 0; i < n; i++) {
            varX += (x[i] - meanX) * (x[i] - meanX);
            varY += (y[i] - meanY) * (y[i] - meanY);
            cov += (x[i] - meanX) * (y[i] - meanY);
        }
        varX /= n;
        varY /= n;
        cov /= n;
        double denominator = varX + varY + (meanX - meanY) * (meanX - meanY);
        return denominator == 0 ? Double.NaN : 2 * cov / denominator;
    }
}
