package io.emostream.job.cues;

/**
 * Spectral tilt: the least-squares slope, in dB per octave, of the long-term average spectrum (LTAS) of the voiced
 * frames, from the first harmonic up to 5 kHz. Steeper (more negative) goes with soft, lax or breathy voice; flatter
 * with loud, pressed or tense voice.
 *
 * <p>The LTAS averages the power spectra of 32 ms Hann-windowed frames centred on every fourth voiced hop (a
 * long-term average loses nothing by it, and the work is a quarter). Its level is read in bands whose edges lie halfway
 * between harmonics of the utterance's median F0, each band holding whole harmonics and spanning at least a third
 * of an octave. Bands of fixed frequencies would hold one harmonic or none at the low end depending on the voice's
 * F0, and the slope would rise by several dB/octave whenever the pitch does. The level of a band is its mean power
 * per bin (a density: white noise is flat, 0 dB/octave), and the line is fitted against log2 of the geometric mean of
 * the band's harmonic frequencies, each band weighing the same, so that every octave counts about equally.
 */
final class SpectralTilt {
    static final double HIGHEST_HZ = 5000;
    private static final int FFT_SIZE = 512;
    /** One spectrum per four voiced hops: 40 ms apart in steady voicing, plenty for a long-term average. */
    private static final int VOICED_HOPS_PER_SPECTRUM = 4;
    private static final double BIN_HZ = (double) PitchTracker.SAMPLE_RATE / FFT_SIZE;
    private static final double MIN_BAND_RATIO = Math.pow(2, 1.0 / 3);
    /** Bands from a 60 Hz first harmonic up to 5 kHz, with room to spare. */
    private static final int MAX_BANDS = 32;
    private static final double[] HANN = HannWindow.of(FFT_SIZE);

    private SpectralTilt() {
    }

    /** The tilt over the voiced hops of the track, or null where the pitch cues are (no median F0). */
    static Double measure(float[] samples, PitchTrack track, Double medianF0) {
        if (medianF0 == null) {
            return null;
        }
        int[] centres = new int[(track.voicedCount() + VOICED_HOPS_PER_SPECTRUM - 1) / VOICED_HOPS_PER_SPECTRUM];
        int count = 0;
        for (int k = 0, voiced = 0; k < track.frameCount(); k++) {
            if (track.isVoiced(k) && voiced++ % VOICED_HOPS_PER_SPECTRUM == 0) {
                centres[count++] = k * PitchTracker.HOP + PitchTracker.HOP / 2;
            }
        }
        return tiltDbPerOctave(averageSpectrum(samples, centres, count), medianF0);
    }

    /** Mean power spectrum (bins 0 to FFT_SIZE/2) of the Hann-windowed frames centred on the given samples. */
    static double[] averageSpectrum(float[] samples, int[] centres, int count) {
        PowerSpectrum spectrum = new PowerSpectrum(FFT_SIZE);
        double[] frame = new double[FFT_SIZE];
        double[] sums = new double[FFT_SIZE / 2 + 1];
        for (int c = 0; c < count; c++) {
            int from = centres[c] - FFT_SIZE / 2;
            for (int i = 0; i < FFT_SIZE; i++) {
                int at = from + i;
                frame[i] = at >= 0 && at < samples.length ? HANN[i] * samples[at] : 0;
            }
            spectrum.accumulate(frame, sums);
        }
        for (int k = 0; k < sums.length; k++) {
            sums[k] /= count;
        }
        return sums;
    }

    /** Slope of the band levels against octaves, bands laid on the harmonics of {@code f0} up to 5 kHz. */
    static double tiltDbPerOctave(double[] spectrum, double f0) {
        double[] octaves = new double[MAX_BANDS];
        double[] levels = new double[MAX_BANDS];
        int bands = 0;
        for (int first = 1; bands < MAX_BANDS; ) {
            int end = first + 1;
            while ((end - 0.5) / (first - 0.5) < MIN_BAND_RATIO) {
                end++;
            }
            double lower = (first - 0.5) * f0;
            double upper = (end - 0.5) * f0;
            if (upper > HIGHEST_HZ) {
                break;
            }
            double logSum = 0;
            for (int harmonic = first; harmonic < end; harmonic++) {
                logSum += log2(harmonic * f0);
            }
            octaves[bands] = logSum / (end - first);
            levels[bands++] = 10 * Math.log10(Math.max(density(spectrum, lower, upper), Double.MIN_NORMAL));
            first = end;
        }
        return Statistics.slope(octaves, levels, bands);
    }

    /** Mean power per bin over [lower, upper) Hz, bins at the edges counting by the share of them inside. */
    private static double density(double[] spectrum, double lower, double upper) {
        double sum = 0;
        for (int k = (int) Math.floor(lower / BIN_HZ + 0.5); k < spectrum.length && (k - 0.5) * BIN_HZ < upper; k++) {
            double inside = Math.min(upper, (k + 0.5) * BIN_HZ) - Math.max(lower, (k - 0.5) * BIN_HZ);
            sum += spectrum[k] * Math.max(0, inside);
        }
        return sum / (upper - lower);
    }

    private static double log2(double value) {
        return Math.log(value) / Math.log(2);
    }
}
