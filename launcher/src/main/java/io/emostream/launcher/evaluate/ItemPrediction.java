package io.emostream.launcher.evaluate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's prediction for one labelled clip. The pipeline cuts a clip into utterances itself (voice activity),
 * so a clip's prediction is made from all of them: the scores are the duration-weighted mean of the utterances'
 * distributions, the label their argmax (the first in the set's order on a tie), the confidence its score, and
 * arousal and valence the duration-weighted means. A clip in which no utterance was found, or whose audio could not
 * be read, has no prediction: it counts as a miss.
 *
 * @param label         the predicted label, or null when there is none
 * @param scores        the clip's distribution over the evaluation's labels; empty without a prediction
 * @param arousal       NaN when no utterance was found
 * @param speechSeconds the length of the utterances found
 * @param note          why there is no prediction, or ""
 */
public record ItemPrediction(String label, Map<String, Double> scores, double confidence, double arousal, double valence,
                             int utterances, double speechSeconds, Grounding grounding, String note) {
    public ItemPrediction {
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    /** No prediction, and why. */
    public static ItemPrediction none(String why) {
        return new ItemPrediction(null, Map.of(), Double.NaN, Double.NaN, Double.NaN, 0, 0, Grounding.NONE, why);
    }

    public boolean present() {
        return label != null;
    }

    /** The prediction from a clip's utterances, over {@code labels} in their order. */
    public static ItemPrediction of(List<String> labels, List<UtteranceResult> utterances) {
        if (utterances.isEmpty()) {
            return none("no speech was found in the clip");
        }
        long totalMs = 0;
        double arousal = 0;
        double valence = 0;
        Map<String, Double> scores = new LinkedHashMap<>();
        labels.forEach(label -> scores.put(label, 0.0));
        Grounding grounding = Grounding.NONE;
        for (UtteranceResult utterance : utterances) {
            long weight = utterance.weightMs();
            totalMs += weight;
            arousal += weight * utterance.arousal();
            valence += weight * utterance.valence();
            utterance.scores().forEach((label, p) -> scores.merge(label, weight * p, Double::sum));
            grounding = grounding.plus(utterance.grounding());
        }
        double total = totalMs;
        scores.replaceAll((label, sum) -> sum / total);
        String best = null;
        for (String label : labels) {
            if (scores.get(label) > 0 && (best == null || scores.get(label) > scores.get(best))) {
                best = label;
            }
        }
        double speech = utterances.stream().mapToLong(u -> u.endMs() - u.startMs()).sum() / 1000.0;
        if (best == null) {
            return new ItemPrediction(null, Map.of(), Double.NaN, arousal / total, valence / total, utterances.size(),
                    speech, grounding, "none of the labels the model gave has a counterpart in the label set");
        }
        return new ItemPrediction(best, scores, scores.get(best), arousal / total, valence / total, utterances.size(),
                speech, grounding, "");
    }
}
