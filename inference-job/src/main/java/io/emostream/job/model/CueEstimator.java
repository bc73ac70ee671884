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
 * <ul>
 * <li>Arousal = tanh of a weighted sum of the speaker-relative z-scores of pitch, loudness, speaking rate, pitch
 * range and spectral tilt (a flatter tilt, more high-frequency energy, goes with effortful speech).</li>
 * <li>Valence = the words' valence (VADER compound); 0 without a transcript.</li>
 * <li>Scores = softmax over each emotion's closeness to its prototype point in the arousal–valence plane, plus
 * evidence specific to one emotion: a rising contour for surprise, emotion keywords in the transcript.</li>
 * </ul>
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

    /** Where each emotion sits in the arousal–valence plane (circumplex, after Russell 1980). */
    private static final Map<String, double[]> PROTOTYPES = prototypes();
    /** Width of each prototype: how far from it an utterance may be and still count for it. */
    private static final double SPREAD = 0.35;
    /** Speech near the speaker's usual is most often neutral; this keeps it so when the cues say little. */
    private static final double NEUTRAL_BIAS = 0.4;
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
        double arousal = arousal(input);
        double valence = Math.max(-1, Math.min(1, input.lexical().valence()));
        Map<String, Double> logits = new LinkedHashMap<>();
        for (String label : LabelSet.MSP_PODCAST.labels()) {
            double[] prototype = PROTOTYPES.get(label);
            double da = arousal - prototype[0];
            double dv = valence - prototype[1];
            logits.put(label, -(da * da + dv * dv) / (2 * SPREAD * SPREAD));
        }
        logits.merge(LabelSet.NEUTRAL, NEUTRAL_BIAS, Double::sum);
        input.lexical().keywords().forEach((label, words) -> logits.computeIfPresent(label,
                (l, logit) -> logit + KEYWORD_EVIDENCE * Math.min(words.size(), MAX_KEYWORDS_COUNTED)));
        CueReading slope = input.cue(PITCH_SLOPE);
        if (slope != null && slope.z() > 1.0) {
            logits.merge(LabelSet.SURPRISED, RISING_CONTOUR_EVIDENCE * Math.min(slope.z() - 1.0, 2.0), Double::sum);
        }
        Map<String, Double> scores = softmax(logits);
        String label = scores.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return new EmotionEstimate(label, scores, arousal, valence, scores.get(label));
    }

    static double arousal(ModelInput input) {
        double sum = 0;
        for (Map.Entry<String, Double> weight : AROUSAL_WEIGHTS.entrySet()) {
            CueReading cue = input.cue(weight.getKey());
            if (cue != null) {
                sum += weight.getValue() * cue.z();
            }
        }
        return Math.tanh(sum / 1.5);
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
