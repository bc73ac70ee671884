package io.emostream.job.cues;

import java.util.Arrays;

/**
 * F0 of 16 kHz speech every 10 ms by YIN (de Cheveigné &amp; Kawahara 2002, "YIN, a fundamental frequency estimator
 * for speech and music", JASA 111(4)), between 60 and 500 Hz.
 *
 * <p>Per hop, with the numbering of the paper's steps: the difference function d(τ) over a 30 ms integration window
 * (step 2); its cumulative mean normalised form d'(τ) (step 3); the first dip of d' under the absolute threshold
 * 0.10, followed down to its bottom, or the deepest dip when none is that low (step 4); parabolic interpolation
 * around the minimum of the raw d(τ), which the paper uses instead of d' because d' biases the period (step 5).
 * A hop is voiced when it is not silence by {@link Levels#silenceFloor}, d' at the chosen lag is under 0.15 and the
 * F0 lies in range. Last, isolated octave jumps are folded back.
 *
 * <p>Stateless and thread-safe. Each call allocates its working arrays once (about 12 bytes per sample) and
 * nothing per sample; silent hops are skipped.
 */
public final class PitchTracker {
    public static final int SAMPLE_RATE = 16_000;
    /** 10 ms. */
    public static final int HOP = 160;
    public static final double MIN_F0_HZ = 60;
    public static final double MAX_F0_HZ = 500;
    /**
     * YIN's absolute threshold, the paper's best value: the period is the first dip of d' below it. Higher values
     * let the dip at half the period win in voices with a strong second harmonic, an octave error.
     */
    static final double THRESHOLD = 0.10;
    /**
     * The most d' may be at the chosen period for the hop to count as voiced: looser than the threshold, so that
     * hops whose deepest dip lies between the two keep their F0 (the upper end of the paper's 0.1–0.15).
     */
    static final double VOICING_THRESHOLD = 0.15;
    /** 30 ms: nearly two periods of the lowest F0, and three hops, so that windows are built from hop blocks. */
    private static final int WINDOW = 3 * HOP;
    private static final int MIN_LAG = (int) (SAMPLE_RATE / MAX_F0_HZ);
    private static final int MAX_LAG = (int) Math.ceil(SAMPLE_RATE / MIN_F0_HZ);
    /** Lags 0 to MAX_LAG + 1, so that a parabola at the longest lag has both neighbours. */
    private static final int LAGS = MAX_LAG + 2;
    private static final int BLOCKS_PER_WINDOW = WINDOW / HOP;
    /** 50 ms either side, for the octave-jump check. */
    private static final int OCTAVE_CHECK_HOPS = 5;

    /**
     * The pitch track, and per hop the normalised autocorrelation at the hop's best period candidate, the
     * periodicity that harmonics-to-noise ratio is computed from; NaN for silent hops.
     */
    record Periodicity(PitchTrack track, double[] correlation) {
    }

    public PitchTrack track(float[] samples) {
        return analyse(samples).track();
    }

    Periodicity analyse(float[] samples) {
        int frames = (samples.length + HOP - 1) / HOP;
        double[] times = new double[frames];
        double[] f0 = new double[frames];
        double[] correlation = new double[frames];
        Arrays.fill(f0, Double.NaN);
        Arrays.fill(correlation, Double.NaN);
        for (int k = 0; k < frames; k++) {
            times[k] = (k + 0.5) * HOP / SAMPLE_RATE;
        }
        if (frames == 0) {
            return new Periodicity(new PitchTrack(times, f0, (double) HOP / SAMPLE_RATE), correlation);
        }

        // Hop k's window starts at padded[k·HOP]; the padding centres window plus longest lag on the hop's centre.
        int padLeft = (WINDOW + MAX_LAG) / 2 - HOP / 2;
        float[] x = new float[(frames + BLOCKS_PER_WINDOW - 1) * HOP + LAGS];
        System.arraycopy(samples, 0, x, padLeft, samples.length);
        double[] cumulativeEnergy = new double[x.length + 1];
        for (int i = 0; i < x.length; i++) {
            cumulativeEnergy[i + 1] = cumulativeEnergy[i] + (double) x[i] * x[i];
        }
        double[] levels = new double[frames];
        for (int k = 0; k < frames; k++) {
            levels[k] = Levels.dbfs(energy(cumulativeEnergy, k * HOP) / WINDOW);
        }
        double floor = Levels.silenceFloor(levels, frames);

        // Products x[j]·x[j+τ] summed per hop-long block, kept for the blocks of the current window only.
        float[][] blocks = new float[BLOCKS_PER_WINDOW][LAGS];
        int[] blockHeld = new int[BLOCKS_PER_WINDOW];
        Arrays.fill(blockHeld, -1);
        float[] lagged = new float[LAGS];
        double[] cross = new double[LAGS];
        double[] difference = new double[LAGS];
        double[] normalised = new double[LAGS];
        for (int k = 0; k < frames; k++) {
            int start = k * HOP;
            double e1 = energy(cumulativeEnergy, start);
            if (levels[k] < floor || e1 <= 0) {
                continue;
            }
            Arrays.fill(cross, 0);
            for (int b = k; b < k + BLOCKS_PER_WINDOW; b++) {
                int slot = b % BLOCKS_PER_WINDOW;
                if (blockHeld[slot] != b) {
                    blockProducts(x, b * HOP, blocks[slot], lagged);
                    blockHeld[slot] = b;
                }
                float[] block = blocks[slot];
                for (int tau = 0; tau < LAGS; tau++) {
                    cross[tau] += block[tau];
                }
            }
            double running = 0;
            for (int tau = 1; tau < LAGS; tau++) {
                difference[tau] = Math.max(0, e1 + energy(cumulativeEnergy, start + tau) - 2 * cross[tau]);
                running += difference[tau];
                normalised[tau] = running > 0 ? difference[tau] * tau / running : 1;
            }
            int lag = firstDip(normalised);
            double aperiodicity = normalised[lag];
            if (lag > MIN_LAG && difference[lag - 1] < difference[lag]) {
                lag--;
            } else if (lag < MAX_LAG && difference[lag + 1] < difference[lag]) {
                lag++;
            }
            double period = lag + Parabola.minimumOffset(difference[lag - 1], difference[lag], difference[lag + 1]);
            correlation[k] = peakCorrelation(cross, cumulativeEnergy, start, e1, lag);
            double hz = SAMPLE_RATE / period;
            if (aperiodicity < VOICING_THRESHOLD && hz >= MIN_F0_HZ && hz <= MAX_F0_HZ) {
                f0[k] = hz;
            }
        }
        foldOctaveJumps(f0);
        return new Periodicity(new PitchTrack(times, f0, (double) HOP / SAMPLE_RATE), correlation);
    }

    /**
     * Folds back isolated octave jumps: a voiced hop at about twice or half the median F0 of the voiced hops within
     * 50 ms on either side (at least three of them). Even with the lower threshold, YIN lets a few hops at the edges
     * of voiced stretches, where few periods fit in the window, jump an octave; they would inflate mean and range.
     */
    private static void foldOctaveJumps(double[] f0) {
        double[] raw = f0.clone();
        double[] neighbours = new double[2 * OCTAVE_CHECK_HOPS];
        for (int k = 0; k < raw.length; k++) {
            if (Double.isNaN(raw[k])) {
                continue;
            }
            int count = 0;
            int last = Math.min(raw.length - 1, k + OCTAVE_CHECK_HOPS);
            for (int j = Math.max(0, k - OCTAVE_CHECK_HOPS); j <= last; j++) {
                if (j != k && !Double.isNaN(raw[j])) {
                    neighbours[count++] = raw[j];
                }
            }
            if (count < 3) {
                continue;
            }
            Arrays.sort(neighbours, 0, count);
            double median = count % 2 == 1
                    ? neighbours[count / 2] : (neighbours[count / 2 - 1] + neighbours[count / 2]) / 2;
            double ratio = raw[k] / median;
            if (ratio > 1.8 && ratio < 2.25 && raw[k] / 2 >= MIN_F0_HZ) {
                f0[k] = raw[k] / 2;
            } else if (ratio > 0.44 && ratio < 0.56 && raw[k] * 2 <= MAX_F0_HZ) {
                f0[k] = raw[k] * 2;
            }
        }
    }

    /** Step 4: the first lag whose d' dips under the threshold, followed to the bottom of that dip. */
    private static int firstDip(double[] normalised) {
        int deepest = MIN_LAG;
        for (int tau = MIN_LAG; tau <= MAX_LAG; tau++) {
            if (normalised[tau] < THRESHOLD) {
                while (tau < MAX_LAG && normalised[tau + 1] < normalised[tau]) {
                    tau++;
                }
                return tau;
            }
            if (normalised[tau] < normalised[deepest]) {
                deepest = tau;
            }
        }
        return deepest;
    }

    /**
     * Σ x[j]·x[j+τ] over the block's samples, for every lag. The lagged samples are first copied to an array of
     * their own: HotSpot vectorises the lag loop only when both arrays are read at the same index, and that makes
     * the loop about three times faster.
     */
    private static void blockProducts(float[] x, int from, float[] products, float[] lagged) {
        Arrays.fill(products, 0f);
        for (int j = from; j < from + HOP; j++) {
            System.arraycopy(x, j, lagged, 0, LAGS);
            float sample = x[j];
            for (int tau = 0; tau < LAGS; tau++) {
                products[tau] += sample * lagged[tau];
            }
        }
    }

    private static double energy(double[] cumulativeEnergy, int start) {
        return cumulativeEnergy[start + WINDOW] - cumulativeEnergy[start];
    }

    /**
     * The normalised autocorrelation at the period, its peak read between lags ({@link BandLimitedPeak}), so that a
     * period that falls between samples still reads as fully periodic.
     */
    private static double peakCorrelation(double[] cross, double[] cumulativeEnergy, int start, double e1, int lag) {
        double norm = Math.sqrt(e1 * energy(cumulativeEnergy, start + lag));
        return norm > 0 ? Math.min(1, BandLimitedPeak.height(cross, lag, 1) / norm) : 0;
    }
}
