package io.emostream.launcher.evaluate;

import io.emostream.job.model.LabelSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a model's score distributions become distributions over the evaluation's labels: as they are when the model's
 * labels are the evaluation's (in any order and letter case), mapped from the default set with
 * {@link EvaluationLabels#fromDefault} (merged, renormalised) when the model uses the default set, and not at all
 * otherwise.
 */
public final class ScoreMapping {
    private final EvaluationLabels evaluation;
    private final boolean fromDefault;

    private ScoreMapping(EvaluationLabels evaluation, boolean fromDefault) {
        this.evaluation = evaluation;
        this.fromDefault = fromDefault;
    }

    /** The mapping; one sentence naming the labels that cannot be mapped when there is none. */
    public static ScoreMapping between(LabelSet model, EvaluationLabels evaluation) {
        if (lowerCase(model.labels()).equals(lowerCase(evaluation.labels()))) {
            return new ScoreMapping(evaluation, false);
        }
        if (model.labels().equals(LabelSet.MSP_PODCAST.labels())) {
            if (evaluation.labels().stream().noneMatch(label -> LabelSet.MSP_PODCAST.labels().stream()
                    .anyMatch(d -> evaluation.fromDefault(d).filter(label::equals).isPresent()))) {
                throw new IllegalArgumentException("none of the labels of " + evaluation.describe() + " has a counterpart"
                        + " among the model's (" + String.join(", ", model.labels()) + "), so nothing it predicts can be"
                        + " scored; choose a --label-set the model's labels map to");
            }
            return new ScoreMapping(evaluation, true);
        }
        List<String> unmapped = model.labels().stream().filter(label -> evaluation.find(label).isEmpty()).toList();
        throw new IllegalArgumentException("the model's labels cannot be mapped to " + evaluation.describe() + ": "
                + String.join(", ", unmapped) + (unmapped.size() == 1 ? " has" : " have") + " no counterpart there; use"
                + " --label-set " + String.join(",", model.labels()) + " and map the manifest's labels to those with"
                + " --label-map FILE");
    }

    /** "as they are" or "mapped from the default set": for the report. */
    public String describe() {
        return fromDefault ? "mapped from the default set (" + LabelSet.MSP_PODCAST.name() + ") to " + evaluation.name()
                + ", merged and renormalised" : "the model's own labels, which are " + evaluation.name() + "'s";
    }

    /** A distribution over the evaluation's labels; all zeros when none of the scored labels has a counterpart. */
    public Map<String, Double> scores(Map<String, Double> modelScores) {
        if (fromDefault) {
            return evaluation.fromDefault(modelScores);
        }
        Map<String, Double> mapped = new LinkedHashMap<>();
        evaluation.labels().forEach(label -> mapped.put(label, 0.0));
        modelScores.forEach((label, p) -> evaluation.find(label).ifPresent(l -> mapped.merge(l, p, Double::sum)));
        return mapped;
    }

    /** A label without probabilities (a SpeechLM's answer) as a distribution: all of it on its counterpart, if any. */
    public Map<String, Double> label(String modelLabel) {
        return scores(Map.of(modelLabel, 1.0));
    }

    private static Set<String> lowerCase(List<String> labels) {
        Set<String> lower = new HashSet<>();
        labels.forEach(label -> lower.add(label.toLowerCase(Locale.ROOT)));
        return lower;
    }
}
