package io.emostream.job.cues;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What is usual for one speaker, cue by cue, so that an utterance can be called high or low for this speaker rather
 * than for people in general (EmotionThinker calibrates its prosodic cues per speaker for the same reason). Kept in
 * Flink keyed state, so a POJO: public no-arg constructor, public fields of plain types, serialisable.
 *
 * <p>Per cue (the names of {@link AcousticCues#asMeasurements()}), an exponentially weighted mean and variance
 * over the speaker's utterances, each utterance weighing its seconds of speech; the weights halve every
 * {@link #HALF_LIFE_SECONDS} of speech heard, so the norm follows a speaker who warms up or tires over a long call,
 * while one emotional minute does not become the new normal at once. Until the speaker has been heard for a while,
 * the norm is blended with a population prior: the speaker's own share of the spread is
 * h / (h + {@link #PRIOR_SECONDS}), h being the seconds of speech in which the cue was measured, and of the mean
 * h / (h + {@link #PRIOR_MEAN_SECONDS}). The mean learns faster because a speaker's register (pitch, the line's
 * level) shows within a sentence, and people differ in it far more than one person does from sentence to sentence:
 * blended as slowly as the spread, a low voice or a quiet line would read as "below usual" for the speaker's first
 * minute. Means blend linearly, and so do standard deviations (not variances), so that the broad pitch prior stops
 * dominating the spread once most of the weight is the speaker's.
 *
 * <p>Call order: take an utterance's z-scores first, then {@link #update} with it, so that the utterance is compared
 * with the speaker's past and not with itself.
 */
public class SpeakerBaseline implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * One minute of speech: a few dozen utterances, enough for a stable spread, short enough to follow a speaker
     * through a call.
     */
    public static final double HALF_LIFE_SECONDS = 60;
    /**
     * The prior weighs as much as 10 s of the speaker's own speech: a first utterance is judged mostly against the
     * population, after a minute the speaker's own norm carries 86 % of the weight, after five minutes 97 %.
     */
    public static final double PRIOR_SECONDS = 10;
    /**
     * The prior's mean weighs as much as 2 s of the speaker's own speech: after one sentence the usual pitch and level
     * are mostly the speaker's. An engineering value, set well above what shrinkage between a population and a speaker
     * would give (well under a second for pitch, whose spread between speakers is several times one speaker's).
     */
    public static final double PRIOR_MEAN_SECONDS = 2;
    /**
     * From this much of the speaker's own speech on (a short sentence), the usual is half the speaker's own, and an
     * utterance's z-scores say how it differs from this speaker rather than from people in general: a shout after a
     * calm sentence counts as a shout, even early in a call. Before it, only the cues the population's spread cannot
     * explain count, and the level not at all (see {@code CueEvidence}). Set on the tuning half of the acted set
     * (docs/evaluation.md): with the prior's 10 s, short calls ended before any speaker counted as known.
     */
    public static final double KNOWN_AFTER_SECONDS = PRIOR_MEAN_SECONDS;

    /**
     * Rough engineering values for adult conversational speech, mean and standard deviation across utterances and
     * speakers, not taken from one study. Loudness sits at the −26 dBov nominal speech level telephony works with;
     * the pitch prior spans the ranges commonly quoted for adult male (about 85–155 Hz) and female (about
     * 165–255 Hz) voices and is broad for that reason; jitter and shimmer lie somewhat above the pathology
     * thresholds the Praat manual quotes from MDVP (1.04 %, 3.81 %), since running speech is less regular than the
     * sustained vowels those are for. The rest agree with what this package measures on flite's synthetic voices;
     * no recorded conversational speech was at hand to calibrate them. They matter for a speaker's first minute.
     */
    private static final Map<String, Prior> PRIORS = Map.ofEntries(
            Map.entry(AcousticCues.PITCH_MEAN_HZ, new Prior(165, 50)),
            Map.entry(AcousticCues.PITCH_RANGE_ST, new Prior(6, 3)),
            Map.entry(AcousticCues.PITCH_SLOPE_ST_PER_S, new Prior(-1, 2)),
            Map.entry(AcousticCues.VOICED_RATIO, new Prior(0.5, 0.15)),
            Map.entry(AcousticCues.LOUDNESS_DBFS, new Prior(-26, 8)),
            Map.entry(AcousticCues.LOUDNESS_PEAK_DBFS, new Prior(-22, 8)),
            Map.entry(AcousticCues.SPEAKING_RATE_SYL_PER_S, new Prior(4, 1)),
            Map.entry(AcousticCues.PAUSE_RATIO, new Prior(0.1, 0.1)),
            Map.entry(AcousticCues.JITTER_PCT, new Prior(1.2, 0.6)),
            Map.entry(AcousticCues.SHIMMER_PCT, new Prior(7, 3)),
            Map.entry(AcousticCues.HNR_DB, new Prior(12, 5)),
            Map.entry(AcousticCues.SPECTRAL_TILT_DB_PER_OCT, new Prior(-8, 2)));

    private record Prior(double mean, double spread) {
    }

    /** Seconds of speech heard from the speaker. */
    public double heardSeconds;
    /** Per cue: seconds of speech in which it was measured. */
    public Map<String, Double> cueSeconds = new HashMap<>();
    /** Per cue: the decayed sum of the utterances' weights (seconds). */
    public Map<String, Double> weights = new HashMap<>();
    /** Per cue: the speaker's exponentially weighted mean. */
    public Map<String, Double> means = new HashMap<>();
    /** Per cue: the speaker's exponentially weighted variance. */
    public Map<String, Double> variances = new HashMap<>();

    public SpeakerBaseline() {
    }

    public double heardSeconds() {
        return heardSeconds;
    }

    /** How many of the speaker's usual spreads {@code value} lies above the usual; NaN where nothing is known. */
    public double zScore(String cue, double value) {
        double spread = usualSpread(cue);
        return spread > 0 ? (value - usualValue(cue)) / spread : Double.NaN;
    }

    /** The speaker's usual value of the cue, blended with the prior; NaN with no prior and nothing heard. */
    public double usualValue(String cue) {
        Prior prior = PRIORS.get(cue);
        return blend(cue, means.get(cue), prior == null ? null : prior.mean(), PRIOR_MEAN_SECONDS);
    }

    /** The speaker's usual spread (standard deviation) of the cue, blended with the prior; NaN as above. */
    public double usualSpread(String cue) {
        Prior prior = PRIORS.get(cue);
        Double variance = variances.get(cue);
        return blend(cue, variance == null ? null : Math.sqrt(variance), prior == null ? null : prior.spread(), PRIOR_SECONDS);
    }

    /**
     * {@code value} relative to the speaker's usual, as a fraction: 0.35 for "pitch 35 % above this speaker's usual".
     * For cues on a ratio scale (Hz, syllables per second, %); for dB cues use {@link #decibelsAboveUsual}.
     */
    public double relativeToUsual(String cue, double value) {
        return value / usualValue(cue) - 1;
    }

    /** {@code value} minus the speaker's usual, for cues in dB (loudness, HNR): "6 dB louder than usual". */
    public double decibelsAboveUsual(String cue, double value) {
        return value - usualValue(cue);
    }

    /**
     * Adds an utterance's cues, weighted by its seconds of speech, after its z-scores were taken. Each cue's old
     * weight decays by 2^(−speechSeconds / half-life) first; the mean and variance are then the weighted ones
     * (West's incremental form), so an utterance counts in proportion to how much speech it held.
     */
    public void update(AcousticCues cues, double speechSeconds) {
        if (!(speechSeconds >= 0)) {
            throw new IllegalArgumentException("An utterance's speech time must be zero or more seconds, got "
                    + speechSeconds + ".");
        }
        if (speechSeconds == 0) {
            return;
        }
        double decay = Math.pow(0.5, speechSeconds / HALF_LIFE_SECONDS);
        for (Measurement measurement : cues.asMeasurements()) {
            String cue = measurement.name();
            double value = measurement.value();
            double oldWeight = weights.getOrDefault(cue, 0.0) * decay;
            double weight = oldWeight + speechSeconds;
            double mean = means.getOrDefault(cue, 0.0);
            double deviation = value - mean;
            double share = speechSeconds / weight;
            means.put(cue, mean + share * deviation);
            variances.put(cue, oldWeight / weight * (variances.getOrDefault(cue, 0.0) + share * deviation * deviation));
            weights.put(cue, weight);
            cueSeconds.merge(cue, speechSeconds, Double::sum);
        }
        heardSeconds += speechSeconds;
    }

    /** The speaker's own figure and the prior's, weighted by how much of the speaker was heard. */
    private double blend(String cue, Double own, Double prior, double priorSeconds) {
        if (own == null) {
            return prior == null ? Double.NaN : prior;
        }
        if (prior == null) {
            return own;
        }
        double heard = cueSeconds.get(cue);
        double share = heard / (heard + priorSeconds);
        return share * own + (1 - share) * prior;
    }
}
