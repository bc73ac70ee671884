package io.emostream.job.cues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The prosodic and voice-quality measurements of one utterance (16 kHz mono samples in [-1, 1]): the pitch,
 * energy, speaking-rate and voice cues that EmotionThinker calibrates per speaker ({@link SpeakerBaseline}).
 *
 * <p>A cue is null where the utterance does not allow a reliable value: the pitch cues and spectral tilt (whose
 * bands sit on the median F0's harmonics) with fewer than 10 voiced hops (100 ms), jitter and shimmer with fewer
 * than 10 pairs of neighbouring glottal cycles, HNR with fewer than 10 sounding hops. They are boxed {@code Double}
 * rather than {@code OptionalDouble} so that the record stays a plain value that serialises anywhere;
 * {@link #asMeasurements()} leaves the null ones out, and a speaking rate outside
 * {@link #MIN_PLAUSIBLE_RATE}–{@link #MAX_PLAUSIBLE_RATE} syllables/s, which is a failed count (syllable nuclei
 * missed on quiet or noisy audio, or one drawn-out word) rather than a way of speaking.
 *
 * @param durationSeconds                the whole utterance
 * @param speechSeconds                  first to last sounding frame, pauses excluded (see {@link SpeechActivity})
 * @param pitchMeanHz                    mean F0 over voiced hops ({@link PitchTracker})
 * @param pitchMedianHz                  median F0 over voiced hops
 * @param pitchRangeSemitones            12·log2 of the 95th over the 5th percentile of F0: a steady glide over 12
 *                                       semitones reads 10.8, the middle 90 %
 * @param pitchSlopeSemitonesPerSecond   least-squares slope of F0 in semitones against time over voiced hops;
 *                                       positive for a rise, as at the end of a question
 * @param voicedRatio                    voiced hops over all hops
 * @param loudnessDbfs                   level of the sounding 20 ms frames together (a −20 dBFS RMS tone reads −20)
 * @param loudnessPeakDbfs               95th percentile of the sounding frames' levels
 * @param syllableCount                  syllable nuclei ({@link SyllableNuclei})
 * @param speakingRateSyllablesPerSecond syllable nuclei per second of speech time
 * @param pauseRatio                     share of the spoken stretch in pauses of 150 ms or more
 * @param jitterPercent                  local jitter ({@link VoiceQuality})
 * @param shimmerPercent                 local shimmer
 * @param hnrDb                          harmonics-to-noise ratio
 * @param spectralTiltDbPerOctave        slope of the voiced long-term spectrum from the first harmonic to 5 kHz
 *                                       ({@link SpectralTilt})
 */
public record AcousticCues(
        double durationSeconds,
        double speechSeconds,
        Double pitchMeanHz,
        Double pitchMedianHz,
        Double pitchRangeSemitones,
        Double pitchSlopeSemitonesPerSecond,
        double voicedRatio,
        double loudnessDbfs,
        double loudnessPeakDbfs,
        int syllableCount,
        double speakingRateSyllablesPerSecond,
        double pauseRatio,
        Double jitterPercent,
        Double shimmerPercent,
        Double hnrDb,
        Double spectralTiltDbPerOctave) {

    public static final String PITCH_MEAN_HZ = "pitch_mean_hz";
    public static final String PITCH_RANGE_ST = "pitch_range_st";
    public static final String PITCH_SLOPE_ST_PER_S = "pitch_slope_st_per_s";
    public static final String VOICED_RATIO = "voiced_ratio";
    public static final String LOUDNESS_DBFS = "loudness_dbfs";
    public static final String LOUDNESS_PEAK_DBFS = "loudness_peak_dbfs";
    public static final String SPEAKING_RATE_SYL_PER_S = "speaking_rate_syl_per_s";
    public static final String PAUSE_RATIO = "pause_ratio";
    public static final String JITTER_PCT = "jitter_pct";
    public static final String SHIMMER_PCT = "shimmer_pct";
    public static final String HNR_DB = "hnr_db";
    public static final String SPECTRAL_TILT_DB_PER_OCT = "spectral_tilt_db_per_oct";

    /**
     * Speaking rates a person can have: conversational speech runs at about 3–7 syllables per second, slow careful
     * speech at 2 or more; below 1.5 or above 10 the syllable count failed. Engineering bounds, wider than the rates
     * the literature reports so that only failed counts are left out.
     */
    public static final double MIN_PLAUSIBLE_RATE = 1.5;
    public static final double MAX_PLAUSIBLE_RATE = 10.0;

    /** Voiced hops the pitch cues need: 100 ms, some ten glottal cycles even at a low F0. */
    static final int MIN_VOICED_HOPS = 10;

    /**
     * Measures one utterance of at least 20 ms at 16 kHz. A static method rather than an analyser object holding
     * buffers: each call allocates its working arrays once, about 20 bytes per sample (5 MB for 15 s, all
     * short-lived), and nothing per sample, so it is thread-safe and keeps nothing per stream between utterances.
     * A 15 s voiced utterance takes about 20 ms on one core of a 2-core build machine.
     */
    public static AcousticCues measure(float[] samples) {
        SpeechActivity activity = SpeechActivity.of(samples);
        PitchTracker.Periodicity periodicity = new PitchTracker().analyse(samples);
        PitchTrack track = periodicity.track();
        int syllables = SyllableNuclei.count(samples, track);
        VoiceQuality quality = VoiceQuality.measure(samples, track, periodicity.correlation());

        int voiced = track.voicedCount();
        double[] hz = new double[voiced];
        double[] semitones = new double[voiced];
        double[] times = new double[voiced];
        for (int k = 0, v = 0; k < track.frameCount(); k++) {
            if (track.isVoiced(k)) {
                hz[v] = track.f0Hz()[k];
                semitones[v] = 12 * Math.log(hz[v]) / Math.log(2);
                times[v++] = track.timesSeconds()[k];
            }
        }
        Double mean = null;
        Double median = null;
        Double range = null;
        Double slope = null;
        if (voiced >= MIN_VOICED_HOPS) {
            double[] sortedSemitones = semitones.clone();
            Arrays.sort(sortedSemitones);
            mean = Arrays.stream(hz).sum() / voiced;
            median = Statistics.percentile(hz, voiced, 50);
            range = Statistics.percentileOfSorted(sortedSemitones, 95)
                    - Statistics.percentileOfSorted(sortedSemitones, 5);
            slope = Statistics.slope(times, semitones, voiced);
        }
        return new AcousticCues((double) samples.length / PitchTracker.SAMPLE_RATE, activity.speechSeconds(),
                mean, median, range, slope, track.voicedRatio(), activity.loudnessDbfs(), activity.loudnessPeakDbfs(),
                syllables, syllables / activity.speechSeconds(), activity.pauseRatio(),
                quality.jitterPercent(), quality.shimmerPercent(), quality.hnrDb(),
                SpectralTilt.measure(samples, track, median));
    }

    /** The cues under their stable names, in a fixed order; cues that could not be measured reliably are left out. */
    public List<Measurement> asMeasurements() {
        List<Measurement> measurements = new ArrayList<>(12);
        add(measurements, PITCH_MEAN_HZ, pitchMeanHz, "Hz");
        add(measurements, PITCH_RANGE_ST, pitchRangeSemitones, "st");
        add(measurements, PITCH_SLOPE_ST_PER_S, pitchSlopeSemitonesPerSecond, "st/s");
        add(measurements, VOICED_RATIO, voicedRatio, "ratio");
        add(measurements, LOUDNESS_DBFS, loudnessDbfs, "dBFS");
        add(measurements, LOUDNESS_PEAK_DBFS, loudnessPeakDbfs, "dBFS");
        boolean plausibleRate = speakingRateSyllablesPerSecond >= MIN_PLAUSIBLE_RATE
                && speakingRateSyllablesPerSecond <= MAX_PLAUSIBLE_RATE;
        add(measurements, SPEAKING_RATE_SYL_PER_S, plausibleRate ? speakingRateSyllablesPerSecond : null, "syl/s");
        add(measurements, PAUSE_RATIO, pauseRatio, "ratio");
        add(measurements, JITTER_PCT, jitterPercent, "%");
        add(measurements, SHIMMER_PCT, shimmerPercent, "%");
        add(measurements, HNR_DB, hnrDb, "dB");
        add(measurements, SPECTRAL_TILT_DB_PER_OCT, spectralTiltDbPerOctave, "dB/oct");
        return List.copyOf(measurements);
    }

    private static void add(List<Measurement> measurements, String name, Double value, String unit) {
        if (value != null) {
            measurements.add(new Measurement(name, value, unit));
        }
    }
}
