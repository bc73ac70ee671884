package io.emostream.launcher.evaluate;

import java.util.List;
import java.util.Optional;

/**
 * Reads a manifest's labels into the evaluation's: a label of the evaluation set stands as it is (any letter case);
 * any other goes through the label map, whose target is a label of the evaluation set, a label of the default set
 * (which lands where {@link EvaluationLabels#fromDefault} puts it, or is left out where it has no counterpart), or
 * {@link LabelMap#LEAVE_OUT}.
 */
public final class ReferenceLabels {
    private final EvaluationLabels evaluation;
    private final LabelMap map;

    /** What a manifest label became. */
    public sealed interface Resolution {
    }

    /** A label of the evaluation set. */
    public record InSet(String label) implements Resolution {
    }

    /** A label with no place in this evaluation (the map leaves it out, or its default-set meaning has no counterpart). */
    public record LeftOut(String label) implements Resolution {
    }

    /** A label nothing maps. */
    public record Unknown(String label) implements Resolution {
    }

    public ReferenceLabels(EvaluationLabels evaluation, LabelMap map) {
        this.evaluation = evaluation;
        this.map = map;
    }

    public EvaluationLabels evaluation() {
        return evaluation;
    }

    public LabelMap map() {
        return map;
    }

    public Resolution resolve(String raw) {
        String label = raw.trim();
        Optional<String> own = evaluation.find(label);
        if (own.isPresent()) {
            return new InSet(own.get());
        }
        Optional<String> target = map.target(label);
        if (target.isEmpty()) {
            return new Unknown(label);
        }
        if (target.get().equals(LabelMap.LEAVE_OUT)) {
            return new LeftOut(label);
        }
        Optional<String> mapped = evaluation.find(target.get()).or(() -> evaluation.fromDefault(target.get()));
        return mapped.<Resolution>map(InSet::new).orElseGet(() -> new LeftOut(label));
    }

    /** The end of the sentence for a label nothing maps: which preset knows it, or how to write a map line. */
    public String hintFor(String label) {
        List<String> presets = LabelMap.presetsKnowing(label);
        String example = "'" + label + " = " + evaluation.labels().get(0) + "'";
        return (presets.isEmpty() ? "" : "use --label-map " + presets.get(0) + " (the corpus preset) or ")
                + "give --label-map FILE with a line such as " + example + " (or '" + label + " = " + LabelMap.LEAVE_OUT
                + "' to leave it out)";
    }
}
