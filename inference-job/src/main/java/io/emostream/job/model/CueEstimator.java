package io.emostream.job.model;

import io.emostream.job.cues.AcousticCues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded default model: a transparent estimator over measured cues, NOT a trained classifier. No
 * emotion-labelled speech or speech-emotion weights were available to build one, and its accuracy on real
 * emotional speech has not been measured. Its rules follow the acoustic correlates reported in the literature
 * (Banse &amp; Scherer 1996; Juslin &amp; Laukka 2003; Scherer 2003): raised pitch, loudness, tempo and pitch
 * range go with high arousal (anger, joy, fear, surprise); lowered ones with sadness and low arousal; valence
 * is carried mostly by the words.
 *
 * <p>Each emotion is a point in the arousal–valence plane (circumplex, after Russell 1980) with a Gaussian spread
 * {@link #SPREAD} ({@link #NEUTRAL_SPREAD} for neutral, which is speech near the speaker's usual: a narrower region).
 * What was heard is a belief about the utterance's arousal and valence, also Gaussian:
 * <ul>
 * <li>Arousal: the tanh of a weighted sum of the cues' z-scores (pitch, loudness, speaking rate, pitch range and
 * spectral tilt, a flatter tilt going with effortful speech), each as {@link CueEvidence} lets it count before the
 * speaker's usual is known. Its spread is {@link #AROUSAL_SD} when every cue was measured against the speaker's
 * own usual and widens as fewer count: {@code AROUSAL_SD / sqrt(share of the cue weight that counts)}, at most
 * {@link #UNKNOWN_SD}.</li>
 * <li>Valence: with sentiment in the words, their valence (VADER compound) with spread {@link #WORDS_VALENCE_SD};
 * without words, or with words that carry no sentiment, it is <em>unobserved</em>: centred on 0 with spread
 * {@link #UNKNOWN_VALENCE_SD}, wide enough to cover every emotion's valence. Zero is not plugged in.</li>
 * </ul>
 * Each label's likelihood is its Gaussian integrated over that belief (a Gaussian again, its variance the sum of
 * the two), times evidence specific to one emotion (its keywords in the transcript; a rising contour for surprise),
 * times the prior of the utterance's domain and role ({@link ModelInput#prior()}). The scores are the normalised
 * posterior. So loud and fast speech without words spreads its mass over angry, happy, surprised and fearful, and
 * comes out uncertain with a modest confidence, as it should: any emotion but neutral chosen without valence from
 * the words is marked uncertain ({@link Uncertainty}), since the prior, not the utterance, picked it.
 *
 * <p>{@code confidence} is the label's posterior probability under this model. It is calibrated by construction
 * only: more cues measured against the speaker's own usual, and words with sentiment, narrow the belief and sharpen
 * the posterior; missing ones widen it. It has not been calibrated against people's labels of real speech, which
 * this project does not have. Arousal is the cue reading; valence is the posterior's expected valence.
 */
public final class CueEstimator implements EmotionModel {
    public static final String ID = "cue-estimator/1";

    private static final String PITCH = AcousticCues.PITCH_MEAN_HZ;
    private static final String PITCH_RANGE = AcousticCues.PITCH_RANGE_ST;
    private static final String PITCH_SLOPE = AcousticCues.PITCH_SLOPE_ST_PER_S;
    private static final String LOUDNESS = AcousticCues.LOUDNESS_DBFS;
    private static final String RATE = AcousticCues.SPEAKING_RATE_SYL_PER_S;
    private static final String TILT = AcousticCues.SPECTRAL_TILT_DB_PER_OCT;

    /** Weights of each cue's z-score in arousal; pitch and loudness are the most consistent correlates. */
    private static final Map<String, Double> AROUSAL_WEIGHTS = Map.of(
            PITCH, 0.35, LOUDNESS, 0.35, RATE, 0.25, PITCH_RANGE, 0.2, TILT, 0.1);
    private static final double AROUSAL_WEIGHT_TOTAL = AROUSAL_WEIGHTS.values().stream().mapToDouble(Double::doubleValue).sum();
    /** A weighted z-sum of 1.5 (every cue 1.2 SD up) reads as arousal tanh(1) = 0.76. */
    private static final double AROUSAL_SCALE = 1.5;

    /** Where each emotion sits in the arousal–valence plane (circumplex, after Russell 1980). */
    private static final Map<String, double[]> PROTOTYPES = prototypes();
    /** Width of each prototype: how far from it an utterance may be and still count for it. */
    private static final double SPREAD = 0.35;
    /** Neutral is speech near the speaker's usual: a narrower region of the plane than any emotion's. */
    private static final double NEUTRAL_SPREAD = 0.25;
    /**
     * Spread of the arousal reading when every arousal cue was measured against the speaker's own usual. 0.2 at first;
     * 0.15 since the tuning half of the acted set (docs/evaluation.md), where a customer shouting 7 dB above their own
     * first sentence still came out a confident neutral under the contact-centre prior.
     */
    private static final double AROUSAL_SD = 0.15;
    /** Spread of a reading with nothing behind it: wider than the plane, so it favours no emotion. */
    private static final double UNKNOWN_SD = 1.0;
    /** How far a sentence's feeling may lie from its words' valence: sarcasm, understatement, recogniser errors. */
    private static final double WORDS_VALENCE_SD = 0.25;
    /** Valence not observed: centred on 0, wide enough to cover every prototype's valence (−0.55 to 0.6). */
    private static final double UNKNOWN_VALENCE_SD = 0.6;
    private static final double KEYWORD_EVIDENCE = 0.9;
    private static final int MAX_KEYWORDS_COUNTED = 2;
    private static final double RISING_CONTOUR_EVIDENCE = 0.6;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public LabelSet labels() {
        return LabelSet.MSP_PODCAST;
    }

    @Override
    public int maxBatchSize() {
        return 256;
    }

    /** A few arithmetic operations per utterance: waiting for a batch would only add latency. */
    @Override
    public boolean gainsFromBatches() {
        return false;
    }

    @Override
    public void open() {
    }

    @Override
    public List<EmotionEstimate> estimate(List<ModelInput> batch) {
        List<EmotionEstimate> estimates = new ArrayList<>(batch.size());
        for (ModelInput input : batch) {
            estimates.add(estimate(input));
        }
        return estimates;
    }

    @Override
    public void close() {
    }

    EmotionEstimate estimate(ModelInput input) {
        Belief arousal = arousal(input);
        Belief valence = valence(input);
        Map<String, Double> logits = new LinkedHashMap<>();
        for (String label : LabelSet.MSP_PODCAST.labels()) {
            double[] prototype = PROTOTYPES.get(label);
            double spread = spread(label);
            logits.put(label, logLikelihood(arousal, prototype[0], spread) + logLikelihood(valence, prototype[1], spread)
                    + Math.log(input.prior().of(label)));
        }
        input.lexical().keywords().forEach((label, words) -> logits.computeIfPresent(label,
                (l, logit) -> logit + KEYWORD_EVIDENCE * Math.min(words.size(), MAX_KEYWORDS_COUNTED)));
        CueReading slope = input.cue(PITCH_SLOPE);
        double rise = slope == null ? 0 : CueEvidence.z(slope, input.knowsSpeaker());
        if (rise > 1.0) {
            logits.merge(LabelSet.SURPRISED, RISING_CONTOUR_EVIDENCE * Math.min(rise - 1.0, 2.0), Double::sum);
        }
        Map<String, Double> scores = softmax(logits);
        String label = scores.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        // Without valence, an emotion is told from its opposite at the same arousal by the prior alone.
        boolean restsOnPrior = !label.equals(LabelSet.NEUTRAL) && !wordsCarryValence(input);
        return new EmotionEstimate(label, scores, arousal.mean(), expectedValence(scores, valence), scores.get(label),
                Uncertainty.of(scores, missing(input, arousal), restsOnPrior));
    }

    /** A Gaussian belief about a coordinate of the plane. */
    private record Belief(double mean, double sd) {
    }

    /** The cue reading of arousal, and how far to trust it given how many cues counted. */
    private static Belief arousal(ModelInput input) {
        double sum = 0;
        double counted = 0;
        for (Map.Entry<String, Double> weight : AROUSAL_WEIGHTS.entrySet()) {
            CueReading cue = input.cue(weight.getKey());
            if (cue != null) {
                sum += weight.getValue() * CueEvidence.z(cue, input.knowsSpeaker());
                counted += weight.getValue() * CueEvidence.reliability(cue, input.knowsSpeaker());
            }
        }
        double share = counted / AROUSAL_WEIGHT_TOTAL;
        double sd = share > 0 ? Math.min(UNKNOWN_SD, AROUSAL_SD / Math.sqrt(share)) : UNKNOWN_SD;
        return new Belief(Math.tanh(sum / AROUSAL_SCALE), sd);
    }

    /** The words' valence where they carry sentiment; unobserved otherwise. */
    private static Belief valence(ModelInput input) {
        return wordsCarryValence(input)
                ? new Belief(Math.max(-1, Math.min(1, input.lexical().valence())), WORDS_VALENCE_SD)
                : new Belief(0.0, UNKNOWN_VALENCE_SD);
    }

    private static boolean wordsCarryValence(ModelInput input) {
        return input.hasWords() && !input.lexical().valenceWords().isEmpty();
    }

    private static double spread(String label) {
        return label.equals(LabelSet.NEUTRAL) ? NEUTRAL_SPREAD : SPREAD;
    }

    /** log ∫ N(x; point, spread²) N(x; belief) dx, less log √(2π), the same for every label. */
    private static double logLikelihood(Belief belief, double point, double spread) {
        double variance = spread * spread + belief.sd() * belief.sd();
        double d = belief.mean() - point;
        return -d * d / (2 * variance) - 0.5 * Math.log(variance);
    }

    /** The valence the posterior expects: per label, the belief narrowed by the label's prototype, weighted by its score. */
    private static double expectedValence(Map<String, Double> scores, Belief valence) {
        double beliefVariance = valence.sd() * valence.sd();
        double expected = 0;
        for (Map.Entry<String, Double> score : scores.entrySet()) {
            double prototypeVariance = spread(score.getKey()) * spread(score.getKey());
            double point = PROTOTYPES.get(score.getKey())[1];
            expected += score.getValue()
                    * (point * beliefVariance + valence.mean() * prototypeVariance) / (prototypeVariance + beliefVariance);
        }
        return expected;
    }

    /** What this estimate lacked, as a rationale can say it. */
    private static List<String> missing(ModelInput input, Belief arousal) {
        List<String> missing = new ArrayList<>();
        if (!input.knowsSpeaker()) {
            missing.add("this speaker's usual not yet known");
        }
        if (arousal.sd() >= UNKNOWN_SD) {
            missing.add("no usable voice cues");
        }
        if (!input.hasWords()) {
            missing.add("valence unknown without words");
        } else if (!wordsCarryValence(input)) {
            missing.add("valence unknown, no sentiment in the words");
        }
        return missing;
    }

    private static Map<String, Double> softmax(Map<String, Double> logits) {
        double max = logits.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        Map<String, Double> exp = new HashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> logit : logits.entrySet()) {
            double e = Math.exp(logit.getValue() - max);
            exp.put(logit.getKey(), e);
            total += e;
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String label : logits.keySet()) {
            scores.put(label, exp.get(label) / total);
        }
        return scores;
    }

    /**
     * Where a label of the default set sits in the arousal–valence plane, as {arousal, valence}; null for a label
     * outside it. Models that give only class scores get their arousal and valence from these.
     */
    public static double[] circumplex(String label) {
        double[] point = PROTOTYPES.get(label);
        return point == null ? null : point.clone();
    }

    private static Map<String, double[]> prototypes() {
        Map<String, double[]> p = new HashMap<>();
        p.put(LabelSet.NEUTRAL, new double[] {0.0, 0.0});
        p.put(LabelSet.HAPPY, new double[] {0.45, 0.6});
        p.put(LabelSet.SAD, new double[] {-0.55, -0.45});
        p.put(LabelSet.ANGRY, new double[] {0.65, -0.55});
        p.put(LabelSet.SURPRISED, new double[] {0.6, 0.15});
        p.put(LabelSet.FEARFUL, new double[] {0.45, -0.45});
        p.put(LabelSet.DISGUSTED, new double[] {-0.05, -0.55});
        p.put(LabelSet.CONTEMPTUOUS, new double[] {-0.3, -0.35});
        return Map.copyOf(p);
    }
}
