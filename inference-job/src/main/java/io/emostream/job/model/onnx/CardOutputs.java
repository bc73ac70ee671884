package io.emostream.job.model.onnx;

import io.emostream.job.model.CueEstimator;
import io.emostream.job.model.EmotionEstimate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's raw outputs for one utterance read as its {@link ModelCard} describes them, whichever runtime produced
 * them (ONNX Runtime, TensorRT): class scores over the card's labels (softmax of logits, or probabilities
 * normalised), and arousal/valence from the dimensional output or, without one, from the class scores weighted by
 * where each class sits in the arousal–valence plane (labels outside the default set count as neutral there).
 */
public final class CardOutputs {
    private final ModelCard card;

    public CardOutputs(ModelCard card) {
        this.card = card;
    }

    /**
     * @param modelId named in the error when the model gives a non-finite score
     * @param raw     the class-score output's row for this utterance
     * @param dims    the dimensional output's row, or null when the card names none
     */
    public EmotionEstimate estimate(String modelId, float[] raw, float[] dims) {
        double[] p = new double[raw.length];
        double max = Double.NEGATIVE_INFINITY;
        for (float value : raw) {
            if (!Float.isFinite(value)) {
                throw new IllegalStateException("The model " + modelId + " gave a non-finite score (" + value + "); check its"
                        + " export, its input (" + card.input() + ") and its output (" + card.output() + ").");
            }
            max = Math.max(max, value);
        }
        double sum = 0;
        for (int l = 0; l < raw.length; l++) {
            p[l] = card.logits() ? Math.exp(raw[l] - max) : Math.max(0, raw[l]);
            sum += p[l];
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        int best = 0;
        double arousal = 0;
        double valence = 0;
        for (int l = 0; l < p.length; l++) {
            p[l] = sum > 0 ? p[l] / sum : 1.0 / p.length;
            scores.put(card.labels().get(l), p[l]);
            best = p[l] > p[best] ? l : best;
            double[] point = CueEstimator.circumplex(card.labels().get(l));
            if (point != null) {
                arousal += p[l] * point[0];
                valence += p[l] * point[1];
            }
        }
        if (dims != null && Math.max(card.arousalIndex(), card.valenceIndex()) >= dims.length) {
            throw new IllegalStateException("The model " + modelId + " gave " + dims.length + " values in its dimensional output "
                    + card.dimensions() + ", but its card reads arousal at index " + card.arousalIndex() + " and valence at "
                    + card.valenceIndex() + "; correct the card's \"dimensions\".");
        }
        if (dims != null && Float.isFinite(dims[card.arousalIndex()]) && Float.isFinite(dims[card.valenceIndex()])) {
            arousal = dims[card.arousalIndex()];
            valence = dims[card.valenceIndex()];
        }
        return new EmotionEstimate(card.labels().get(best), scores, clamp(arousal), clamp(valence), p[best]);
    }

    private static double clamp(double value) {
        return Math.max(-1, Math.min(1, value));
    }
}
