package io.emostream.job.cues;

import java.util.Random;

/** Synthetic 16 kHz test signals whose pitch, level, rhythm and voice quality are known exactly. */
final class Signals {
    static final int RATE = 16_000;
    private static final int OVERSAMPLING = 8;
    /** Blackman-windowed sinc, cut-off 7 kHz at the oversampled rate, unity gain at DC. */
    private static final double[] ANTI_ALIAS = antiAlias(7000, 32 * OVERSAMPLING + 1);

    private Signals() {
    }

    /**
     * Glottal pulses: the derivative of Rosenberg's flow pulse (rising over 40 % of the nominal period, closing over
     * 16 %), so the waveform has the sharp negative excitation at closure and the roughly −6 dB/octave harmonics
     * of voiced speech. Pulse {@code i} starts at {@code onsets[i]} seconds, scaled by {@code amplitudes[i]}.
     * Rendered at 8 × the rate and low-passed at 7 kHz before keeping every 8th sample, as a recording's
     * anti-alias filter would: sampled directly, the step at closure aliases differently in every cycle whenever the
     * period is not a whole number of samples, and the signal is no longer periodic.
     */
    static float[] glottalPulses(double[] onsets, double[] amplitudes, double nominalPeriod, double seconds) {
        int length = (int) Math.round(seconds * RATE);
        int fineRate = OVERSAMPLING * RATE;
        double[] fine = new double[length * OVERSAMPLING + ANTI_ALIAS.length];
        int delay = ANTI_ALIAS.length / 2;
        double opening = 0.40 * nominalPeriod;
        double closing = 0.16 * nominalPeriod;
        for (int p = 0; p < onsets.length; p++) {
            int first = (int) Math.ceil(onsets[p] * fineRate);
            int end = (int) Math.floor((onsets[p] + opening + closing) * fineRate);
            int last = Math.min(length * OVERSAMPLING - 1, end);
            for (int n = Math.max(0, first); n <= last; n++) {
                double t = n / (double) fineRate - onsets[p];
                double slope = t <= opening
                        ? Math.PI / (2 * opening) * Math.sin(Math.PI * t / opening)
                        : -Math.PI / (2 * closing) * Math.sin(Math.PI * (t - opening) / (2 * closing));
                fine[n + delay] += amplitudes[p] * slope * nominalPeriod / 20;
            }
        }
        float[] samples = new float[length];
        for (int n = 0; n < length; n++) {
            double sum = 0;
            for (int k = 0; k < ANTI_ALIAS.length; k++) {
                sum += ANTI_ALIAS[k] * fine[n * OVERSAMPLING + k];
            }
            samples[n] = (float) sum;
        }
        return samples;
    }

    private static double[] antiAlias(double cutoffHz, int taps) {
        double[] h = new double[taps];
        double fc = cutoffHz / (OVERSAMPLING * RATE);
        double sum = 0;
        for (int k = 0; k < taps; k++) {
            double m = k - (taps - 1) / 2.0;
            double sinc = m == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * m) / (Math.PI * m);
            double phase = 2 * Math.PI * k / (taps - 1);
            double window = 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
            h[k] = sinc * window;
            sum += h[k];
        }
        for (int k = 0; k < taps; k++) {
            h[k] /= sum;
        }
        return h;
    }

    /** A steady pulse train at {@code f0}, starting half a millisecond in. */
    static float[] pulseTrain(double f0, double seconds) {
        int count = (int) Math.floor((seconds - 0.0005) * f0);
        double[] onsets = new double[count];
        double[] amplitudes = new double[count];
        for (int i = 0; i < count; i++) {
            onsets[i] = 0.0005 + i / f0;
            amplitudes[i] = 1;
        }
        return glottalPulses(onsets, amplitudes, 1 / f0, seconds);
    }

    /** A pulse train whose F0 rises (or falls) exponentially, i.e. at a steady rate in semitones per second. */
    static float[] glide(double fromHz, double toHz, double seconds) {
        double octavesPerSecond = Math.log(toHz / fromHz) / Math.log(2) / seconds;
        double cycles = fromHz / (octavesPerSecond * Math.log(2)) * (Math.pow(2, octavesPerSecond * seconds) - 1);
        int count = (int) Math.floor(cycles);
        double[] onsets = new double[count];
        double[] amplitudes = new double[count];
        for (int k = 0; k < count; k++) {
            // The time at which the running phase of f(t) = from·2^(rate·t) completes k cycles.
            onsets[k] = Math.log(1 + k * octavesPerSecond * Math.log(2) / fromHz) / Math.log(2) / octavesPerSecond;
            amplitudes[k] = 1;
        }
        return glottalPulses(onsets, amplitudes, 1 / toHz, seconds);
    }

    /** A pulse train whose periods and amplitudes vary at random around their means, and what they really were. */
    record Perturbed(float[] samples, double[] periods, double[] amplitudes) {
        /** Local jitter of the periods as generated: mean |T(i) − T(i+1)| over mean T, in percent. */
        double jitterPercent() {
            return localPerturbation(periods);
        }

        double shimmerPercent() {
            return localPerturbation(amplitudes);
        }

        private static double localPerturbation(double[] values) {
            double differences = 0;
            double sum = 0;
            for (int i = 0; i < values.length; i++) {
                sum += values[i];
                if (i > 0) {
                    differences += Math.abs(values[i] - values[i - 1]);
                }
            }
            return 100 * (differences / (values.length - 1)) / (sum / values.length);
        }
    }

    /** Periods with relative standard deviation {@code periodSd}, amplitudes with {@code amplitudeSd}, Gaussian. */
    static Perturbed perturbedPulseTrain(double f0, double seconds, double periodSd, double amplitudeSd, long seed) {
        Random random = new Random(seed);
        int count = (int) Math.floor((seconds - 0.01) * f0);
        double[] onsets = new double[count];
        double[] amplitudes = new double[count];
        double[] periods = new double[count - 1];
        double t = 0.0005;
        for (int i = 0; i < count; i++) {
            onsets[i] = t;
            amplitudes[i] = 1 + amplitudeSd * random.nextGaussian();
            if (i < count - 1) {
                periods[i] = (1 + periodSd * random.nextGaussian()) / f0;
                t += periods[i];
            }
        }
        return new Perturbed(glottalPulses(onsets, amplitudes, 1 / f0, seconds), periods, amplitudes);
    }

    static float[] sine(double hz, double rmsDbfs, double seconds) {
        float[] samples = new float[(int) Math.round(seconds * RATE)];
        double amplitude = Math.sqrt(2) * Math.pow(10, rmsDbfs / 20);
        for (int n = 0; n < samples.length; n++) {
            samples[n] = (float) (amplitude * Math.sin(2 * Math.PI * hz * n / RATE));
        }
        return samples;
    }

    static float[] whiteNoise(double rmsDbfs, double seconds, long seed) {
        Random random = new Random(seed);
        float[] samples = new float[(int) Math.round(seconds * RATE)];
        double rms = Math.pow(10, rmsDbfs / 20);
        for (int n = 0; n < samples.length; n++) {
            samples[n] = (float) (rms * random.nextGaussian());
        }
        return samples;
    }

    /**
     * Noise whose power density goes as f^exponent from 50 Hz to 6 kHz (exponent −1: pink, −3 dB/octave): a sum of
     * sines 5 Hz apart with random phases, each carrying the power of its 5 Hz slice.
     */
    static float[] powerLawNoise(double exponent, double seconds, long seed) {
        Random random = new Random(seed);
        double[] samples = new double[(int) Math.round(seconds * RATE)];
        for (double hz = 50; hz <= 6000; hz += 5) {
            double amplitude = Math.sqrt(Math.pow(hz, exponent));
            double step = 2 * Math.PI * hz / RATE;
            double phase = 2 * Math.PI * random.nextDouble();
            // A rotating phasor: two multiplications per sample instead of a sine.
            double re = Math.cos(phase);
            double im = Math.sin(phase);
            double cos = Math.cos(step);
            double sin = Math.sin(step);
            for (int n = 0; n < samples.length; n++) {
                samples[n] += amplitude * im;
                double next = re * cos - im * sin;
                im = re * sin + im * cos;
                re = next;
            }
        }
        float[] out = new float[samples.length];
        for (int n = 0; n < out.length; n++) {
            out[n] = (float) samples[n];
        }
        return scaleToRms(out, -20);
    }

    /** Scales the signal so that its RMS over all samples is {@code rmsDbfs}. */
    static float[] scaleToRms(float[] samples, double rmsDbfs) {
        double sum = 0;
        for (float s : samples) {
            sum += (double) s * s;
        }
        double gain = Math.pow(10, rmsDbfs / 20) / Math.sqrt(sum / samples.length);
        float[] scaled = new float[samples.length];
        for (int n = 0; n < samples.length; n++) {
            scaled[n] = (float) (samples[n] * gain);
        }
        return scaled;
    }

    static float[] times(float[] samples, double gain) {
        float[] scaled = new float[samples.length];
        for (int n = 0; n < samples.length; n++) {
            scaled[n] = (float) (samples[n] * gain);
        }
        return scaled;
    }

    static float[] plus(float[] a, float[] b) {
        float[] sum = new float[a.length];
        for (int n = 0; n < a.length; n++) {
            sum[n] = a[n] + b[n];
        }
        return sum;
    }

    static float[] silence(double seconds) {
        return new float[(int) Math.round(seconds * RATE)];
    }

    static float[] concat(float[]... parts) {
        int length = 0;
        for (float[] part : parts) {
            length += part.length;
        }
        float[] joined = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return joined;
    }

    /** {@code perSecond} bursts a second: the signal times sin²(π·perSecond·t), silent between bursts. */
    static float[] bursts(float[] carrier, double perSecond) {
        float[] shaped = new float[carrier.length];
        for (int n = 0; n < carrier.length; n++) {
            double envelope = Math.sin(Math.PI * perSecond * n / RATE);
            shaped[n] = (float) (carrier[n] * envelope * envelope);
        }
        return shaped;
    }

    /** Two one-pole low-pass sections at {@code cornerHz}: −12 dB/octave above the corner. */
    static float[] lowPass(float[] samples, double cornerHz) {
        double pole = Math.exp(-2 * Math.PI * cornerHz / RATE);
        float[] filtered = samples.clone();
        for (int pass = 0; pass < 2; pass++) {
            double state = 0;
            for (int n = 0; n < filtered.length; n++) {
                state = (1 - pole) * filtered[n] + pole * state;
                filtered[n] = (float) state;
            }
        }
        return filtered;
    }
}
