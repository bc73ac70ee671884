package io.emostream.job.cues;

/**
 * The parabola through three equally spaced points (−1, a), (0, b), (1, c): how the cues find an extremum between
 * samples or lags.
 */
final class Parabola {

    private Parabola() {
    }

    /** Where its minimum lies, kept within one step of b; 0 where the points do not curve upwards. */
    static double minimumOffset(double a, double b, double c) {
        double curvature = a - 2 * b + c;
        return curvature > 0 ? Math.max(-1, Math.min(1, 0.5 * (a - c) / curvature)) : 0;
    }

    /** Its maximum within one step of b, never below b: b itself where the points do not curve downwards. */
    static double maximum(double a, double b, double c) {
        double offset = minimumOffset(-a, -b, -c);
        return Math.max(b, b + 0.5 * (c - a) * offset + 0.5 * (a - 2 * b + c) * offset * offset);
    }
}
