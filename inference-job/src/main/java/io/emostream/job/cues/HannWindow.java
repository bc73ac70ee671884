package io.emostream.job.cues;

/** The Hann window, the taper both the intensity contour and the spectra use. */
final class HannWindow {

    private HannWindow() {
    }

    /** A symmetric Hann window sampled at bin centres, so that no weight is exactly zero. */
    static double[] of(int length) {
        double[] window = new double[length];
        for (int i = 0; i < length; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / length);
        }
        return window;
    }
}
