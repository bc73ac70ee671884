package io.emostream.job.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's answer for one utterance.
 *
 * @param scores      probability per label of the model's label set; sums to 1
 * @param arousal     -1 (calm) to 1 (excited)
 * @param valence     -1 (negative) to 1 (positive)
 * @param confidence  0 to 1: how sure the model is of {@code label} (see each model for what it is calibrated on)
 * @param uncertainty whether the top labels are too close to call, which ones, and what the model knows it lacked
 */
public record EmotionEstimate(String label, Map<String, Double> scores, double arousal, double valence, double confidence,
                              Uncertainty uncertainty) {

    public EmotionEstimate {
        // Label order is kept, so events and reports list scores in the label set's order.
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        double sum = scores.values().stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(sum - 1.0) > 1e-6 || !scores.containsKey(label)) {
            throw new IllegalArgumentException("scores must sum to 1 and contain the label " + label + ": " + scores);
        }
    }

    /** An answer whose uncertainty is judged from its scores alone: what every backend gets without saying more. */
    public EmotionEstimate(String label, Map<String, Double> scores, double arousal, double valence, double confidence) {
        this(label, scores, arousal, valence, confidence, Uncertainty.of(scores));
    }

    /** The same answer, uncertain whatever its scores, for a reason found outside the model (e.g. words and voice disagree). */
    public EmotionEstimate doubted(String reason) {
        List<String> missing = new ArrayList<>(uncertainty.missing());
        missing.add(reason);
        return new EmotionEstimate(label, scores, arousal, valence, confidence, Uncertainty.of(scores, missing, true));
    }

    public boolean uncertain() {
        return uncertainty.uncertain();
    }
}
