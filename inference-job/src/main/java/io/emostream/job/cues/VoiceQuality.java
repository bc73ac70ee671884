package io.emostream.job.cues;

/**
 * Local jitter, local shimmer and harmonics-to-noise ratio of an utterance; each null where fewer than
 * {@link #MIN_COUNT} cycle pairs (jitter, shimmer) or sounding frames (HNR) make it unreliable.
 *
 * <p>Jitter and shimmer follow the Praat manual's definitions ("Voice 2. Jitter", "Voice 3. Shimmer"): the mean
 * absolute difference between consecutive periods (peak-to-peak amplitudes) over the mean period (amplitude), in
 * percent, over pairs of cycles whose periods differ by at most Praat's default factor 1.3 and amplitudes by 1.6.
 * Cycles are marked inside each voiced stretch of the pitch track: from a waveform peak, each period is the lag,
 * within 10 % of the tracked period, that best cross-correlates one period of signal with the next, interpolated
 * between samples; the next mark lies one such period on. Measuring periods by correlation rather than from peak
 * to peak keeps them independent of the waveform's shape. A cycle's amplitude is its highest peak plus its deepest
 * trough, both read between samples ({@link BandLimitedPeak}).
 *
 * <p>HNR follows Boersma (1993, "Accurate short-term analysis of the fundamental frequency and the
 * harmonics-to-noise ratio of a sampled sound", IFA Proceedings 17): 10·log10(r / (1 − r)), r being the
 * normalised autocorrelation at the period (from {@link PitchTracker}, its peak read between lags), averaged in dB
 * over the sounding hops. Hops the pitch tracker calls unvoiced take part, at their best period candidate, so that
 * breathy or whispered speech reads low instead of going unmeasured, and white noise added to a voice at a given
 * signal-to-noise ratio reads as that ratio.
 */
record VoiceQuality(Double jitterPercent, Double shimmerPercent, Double hnrDb) {
    static final int MIN_COUNT = 10;
    private static final double MAX_PERIOD_FACTOR = 1.3;
    private static final double MAX_AMPLITUDE_FACTOR = 1.6;
    /**
     * A cycle's period is sought within 10 % of the tracked F0's period: three standard deviations of a strongly
     * jittered voice (3 %); YIN's period averages over a 30 ms window and is itself within a few percent.
     */
    private static final double SHORTEST_LAG_FACTOR = 0.9;
    private static final double LONGEST_LAG_FACTOR = 1.1;
    /** Below this, two neighbouring cycles are too unlike for their periods to mean anything. */
    private static final double MIN_CYCLE_CORRELATION = 0.7;
    /** r is kept within 0.01 to 0.9999, so one frame reads between −20 and +40 dB. */
    private static final double MIN_CORRELATION = 0.01;
    private static final double MAX_CORRELATION = 0.9999;

    static VoiceQuality measure(float[] samples, PitchTrack track, double[] correlation) {
        Cycles cycles = new Cycles(samples);
        int frames = track.frameCount();
        for (int k = 0; k < frames; ) {
            if (!track.isVoiced(k)) {
                k++;
                continue;
            }
            int end = k;
            while (end < frames && track.isVoiced(end)) {
                end++;
            }
            cycles.walk(track, k, end);
            k = end;
        }
        return new VoiceQuality(cycles.jitterPercent(), cycles.shimmerPercent(), hnrDb(correlation));
    }

    private static Double hnrDb(double[] correlation) {
        double sum = 0;
        int frames = 0;
        for (double r : correlation) {
            if (!Double.isNaN(r)) {
                double clamped = Math.max(MIN_CORRELATION, Math.min(MAX_CORRELATION, r));
                sum += 10 * Math.log10(clamped / (1 - clamped));
                frames++;
            }
        }
        return frames >= MIN_COUNT ? sum / frames : null;
    }

    /** Marks glottal cycles and sums their periods, amplitudes and the differences between neighbours. */
    private static final class Cycles {
        private final float[] samples;
        private final double[] cumulativeEnergy;
        private final double[] neighbourhood = new double[2 * BandLimitedPeak.HALF_TAPS + 1];
        private double periodSum;
        private int periods;
        private double periodDifferenceSum;
        private int periodPairs;
        private double amplitudeSum;
        private int amplitudes;
        private double amplitudeDifferenceSum;
        private int amplitudePairs;
        /** Period and correlation of the cycle just measured. */
        private double cyclePeriod;
        private double cycleCorrelation;

        Cycles(float[] samples) {
            this.samples = samples;
            cumulativeEnergy = new double[samples.length + 1];
            for (int i = 0; i < samples.length; i++) {
                cumulativeEnergy[i + 1] = cumulativeEnergy[i] + (double) samples[i] * samples[i];
            }
        }

        /** Marks the cycles of the voiced hops [first, end) one after another, pairing neighbours. */
        void walk(PitchTrack track, int first, int end) {
            int runEnd = Math.min(samples.length, end * PitchTracker.HOP);
            double mark = strongestSample(first * PitchTracker.HOP, PitchTracker.SAMPLE_RATE / track.f0Hz()[first]);
            boolean chained = false;
            double previousPeriod = 0;
            double previousAmplitude = 0;
            while (true) {
                int frame = (int) (mark / PitchTracker.HOP);
                if (frame >= end) {
                    return;
                }
                double expected = PitchTracker.SAMPLE_RATE / track.f0Hz()[frame];
                int half = (int) Math.round(expected / 2);
                int start = (int) Math.round(mark) - half;
                int longestLag = (int) Math.ceil(expected * LONGEST_LAG_FACTOR);
                if (start < 0 || start + 2 * half + longestLag + 1 > runEnd) {
                    return;
                }
                measureCycle(start, 2 * half, expected, (int) Math.floor(expected * SHORTEST_LAG_FACTOR), longestLag);
                if (cycleCorrelation < MIN_CYCLE_CORRELATION) {
                    chained = false;
                    mark = strongestSample((int) Math.round(mark + expected / 2), expected);
                    continue;
                }
                double amplitude = peakToPeak((int) Math.round(mark - cyclePeriod / 2), (int) Math.round(cyclePeriod));
                periodSum += cyclePeriod;
                periods++;
                amplitudeSum += amplitude;
                amplitudes++;
                if (chained && ratio(cyclePeriod, previousPeriod) <= MAX_PERIOD_FACTOR) {
                    periodDifferenceSum += Math.abs(cyclePeriod - previousPeriod);
                    periodPairs++;
                    if (ratio(amplitude, previousAmplitude) <= MAX_AMPLITUDE_FACTOR) {
                        amplitudeDifferenceSum += Math.abs(amplitude - previousAmplitude);
                        amplitudePairs++;
                    }
                }
                chained = true;
                previousPeriod = cyclePeriod;
                previousAmplitude = amplitude;
                mark += cyclePeriod;
            }
        }

        /**
         * The lag at which the segment [start, start + length) best matches the signal that follows it, by normalised
         * cross-correlation, refined between samples by a parabola. The search climbs from the tracked period to the
         * nearest maximum, which is the cycle's own: YIN's period is within a sample or two, while other maxima, from
         * formant ringing, lie several samples away. A climb that leaves [shortest, longest] finds no maximum; the
         * cycle then gets correlation 0 and does not count.
         */
        private void measureCycle(int start, int length, double expected, int shortest, int longest) {
            int lag = (int) Math.round(expected);
            double before = correlation(start, lag - 1, length);
            double here = correlation(start, lag, length);
            double after = correlation(start, lag + 1, length);
            while (after > here && lag < longest) {
                lag++;
                before = here;
                here = after;
                after = correlation(start, lag + 1, length);
            }
            while (before > here && lag > shortest) {
                lag--;
                after = here;
                here = before;
                before = correlation(start, lag - 1, length);
            }
            cyclePeriod = lag + Parabola.minimumOffset(-before, -here, -after);
            cycleCorrelation = here >= before && here >= after ? here : 0;
        }

        private double correlation(int start, int lag, int length) {
            double norm = energy(start, length) * energy(start + lag, length);
            return norm > 0 ? dot(start, start + lag, length) / Math.sqrt(norm) : 0;
        }

        /** Σ x[a + i]·x[b + i] over {@code length} samples, with four sums so that the additions overlap. */
        private double dot(int a, int b, int length) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = 0;
            for (; i + 3 < length; i += 4) {
                s0 += samples[a + i] * samples[b + i];
                s1 += samples[a + i + 1] * samples[b + i + 1];
                s2 += samples[a + i + 2] * samples[b + i + 2];
                s3 += samples[a + i + 3] * samples[b + i + 3];
            }
            for (; i < length; i++) {
                s0 += samples[a + i] * samples[b + i];
            }
            return s0 + s1 + s2 + s3;
        }

        /** The sample of largest magnitude in the span of one period from {@code from}: a mark at a waveform peak. */
        private double strongestSample(int from, double period) {
            int end = Math.min(samples.length, from + (int) Math.round(period));
            int strongest = Math.min(from, samples.length - 1);
            for (int i = from; i < end; i++) {
                if (Math.abs(samples[i]) > Math.abs(samples[strongest])) {
                    strongest = i;
                }
            }
            return strongest;
        }

        /** Highest peak plus deepest trough of the cycle, each read between samples ({@link BandLimitedPeak}). */
        private double peakToPeak(int from, int length) {
            int highest = Math.max(0, from);
            int lowest = highest;
            for (int i = highest; i < Math.min(samples.length, from + length); i++) {
                if (samples[i] > samples[highest]) {
                    highest = i;
                }
                if (samples[i] < samples[lowest]) {
                    lowest = i;
                }
            }
            return between(highest, 1) + between(lowest, -1);
        }

        /** The extreme at {@code at} read between samples, from a copy of its neighbourhood (zero beyond the ends). */
        private double between(int at, int sign) {
            int from = at - BandLimitedPeak.HALF_TAPS;
            for (int i = 0; i < neighbourhood.length; i++) {
                int source = from + i;
                neighbourhood[i] = source >= 0 && source < samples.length ? samples[source] : 0;
            }
            return BandLimitedPeak.height(neighbourhood, BandLimitedPeak.HALF_TAPS, sign);
        }

        private double energy(int start, int length) {
            return cumulativeEnergy[start + length] - cumulativeEnergy[start];
        }

        Double jitterPercent() {
            return periodPairs >= MIN_COUNT ? 100 * (periodDifferenceSum / periodPairs) / (periodSum / periods) : null;
        }

        Double shimmerPercent() {
            return amplitudePairs >= MIN_COUNT
                    ? 100 * (amplitudeDifferenceSum / amplitudePairs) / (amplitudeSum / amplitudes) : null;
        }

        private static double ratio(double a, double b) {
            return Math.max(a, b) / Math.min(a, b);
        }
    }
}
