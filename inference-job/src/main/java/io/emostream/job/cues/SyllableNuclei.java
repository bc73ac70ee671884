package io.emostream.job.cues;

/**
 * Counts syllable nuclei the way de Jong &amp; Wempe (2009, "Praat script to detect syllable nuclei and measure speech
 * rate automatically", Behavior Research Methods 41(2)) do: a nucleus is a peak of the intensity contour that lies
 * above the silence threshold (0.99 quantile − 25 dB), stands out by at least 2 dB from the dips around it, and is
 * voiced.
 *
 * <p>Two departures from their script: "stands out" is the peak's prominence (its height above the higher of the two
 * lowest points between it and the nearest higher contour on each side), where the script compares each peak with
 * the dip towards the next one; and the contour is a Hann-weighted mean square on the pitch tracker's 10 ms grid
 * rather than Praat's own intensity analysis.
 */
final class SyllableNuclei {
    /** The script's minimum dip between peaks. */
    static final double MIN_PROMINENCE_DB = 2;
    /**
     * 64 ms, i.e. 3.2 / 50 Hz: the Praat manual's effective window duration for intensity with a 50 Hz minimum pitch,
     * long enough that pitch periods down to 60 Hz do not ripple the contour into false peaks.
     */
    private static final int WINDOW = 1024;
    private static final double[] HANN = HannWindow.of(WINDOW);
    private static final double HANN_SUM = sum(HANN);

    private SyllableNuclei() {
    }

    static int count(float[] samples, PitchTrack track) {
        double[] contour = intensityContour(samples, track.frameCount());
        if (contour.length < 3) {
            return 0;
        }
        double floor = Levels.silenceFloor(contour, contour.length);
        int nuclei = 0;
        for (int k = 1; k < contour.length - 1; k++) {
            boolean peak = contour[k] > contour[k - 1] && contour[k] >= contour[k + 1];
            if (peak && contour[k] >= floor && track.isVoiced(k) && prominence(contour, k) >= MIN_PROMINENCE_DB) {
                nuclei++;
            }
        }
        return nuclei;
    }

    /** Intensity in dBFS at the centre of each 10 ms hop; samples beyond the utterance count as silence. */
    static double[] intensityContour(float[] samples, int frames) {
        double[] contour = new double[frames];
        for (int k = 0; k < frames; k++) {
            int from = k * PitchTracker.HOP + PitchTracker.HOP / 2 - WINDOW / 2;
            int start = Math.max(0, from);
            int end = Math.min(samples.length, from + WINDOW);
            double sum = 0;
            for (int j = start; j < end; j++) {
                sum += HANN[j - from] * samples[j] * samples[j];
            }
            contour[k] = Levels.dbfs(sum / HANN_SUM);
        }
        return contour;
    }

    /** Height of the peak over the higher of the lowest points on each side before the contour rises above it. */
    private static double prominence(double[] contour, int peak) {
        double height = contour[peak];
        double leftBase = height;
        for (int i = peak - 1; i >= 0 && contour[i] <= height; i--) {
            leftBase = Math.min(leftBase, contour[i]);
        }
        double rightBase = height;
        for (int i = peak + 1; i < contour.length && contour[i] <= height; i++) {
            rightBase = Math.min(rightBase, contour[i]);
        }
        return height - Math.max(leftBase, rightBase);
    }

    private static double sum(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum;
    }
}
