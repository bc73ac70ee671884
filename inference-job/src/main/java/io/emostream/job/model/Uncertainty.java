package io.emostream.job.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Whether a model's scores single out one label, decided from the score distribution so that every backend gets the
 * same judgement: a label is uncertain when its probability is below {@link #MIN_TOP} or when the runner-up is within
 * {@link #MIN_MARGIN} of it. Both thresholds are engineering choices, not fitted to labelled speech (this project has
 * none): with eight labels, a top score under 0.45 leaves more than half of the mass elsewhere, and two labels within
 * 0.15 of each other are a coin toss to a listener as much as to the model. A model that knows its top label rests on
 * something it did not observe (the cue estimator: an emotion whose valence no words told) says so, and the label is
 * uncertain whatever its score: the score then reflects the domain prior more than the utterance.
 *
 * @param uncertain   true when the top labels are too close to call
 * @param closeLabels the labels that compete for the utterance, likeliest first: the top two and any other with at
 *                    least half the top label's score, at most {@link #MAX_CLOSE}; the top label alone when it is not
 *                    uncertain
 * @param missing     what the model knows it lacked, in words a rationale can quote, e.g. "valence unknown without
 *                    words"; empty when it lacked nothing or cannot say
 */
public record Uncertainty(boolean uncertain, List<String> closeLabels, List<String> missing) implements Serializable {
    public static final double MIN_TOP = 0.45;
    public static final double MIN_MARGIN = 0.15;
    static final int MAX_CLOSE = 3;

    public Uncertainty {
        closeLabels = List.copyOf(closeLabels);
        missing = List.copyOf(missing);
    }

    /** The judgement on these scores, with nothing known to be missing. */
    public static Uncertainty of(Map<String, Double> scores) {
        return of(scores, List.of(), false);
    }

    /**
     * The judgement on these scores, naming what the model lacked.
     *
     * @param restsOnMissing whether the top label rests on what is missing, making it uncertain whatever its score
     */
    public static Uncertainty of(Map<String, Double> scores, List<String> missing, boolean restsOnMissing) {
        List<Map.Entry<String, Double>> ranked = scores.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .toList();
        double top = ranked.get(0).getValue();
        double second = ranked.size() > 1 ? ranked.get(1).getValue() : 0.0;
        boolean uncertain = restsOnMissing || top < MIN_TOP || top - second < MIN_MARGIN;
        List<String> close = new ArrayList<>();
        for (int i = 0; i < ranked.size() && close.size() < (uncertain ? MAX_CLOSE : 1); i++) {
            if (i < 2 || ranked.get(i).getValue() >= top / 2) {
                close.add(ranked.get(i).getKey());
            }
        }
        return new Uncertainty(uncertain, close, missing);
    }
}
