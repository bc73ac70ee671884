package io.emostream.launcher.evaluate;

import io.emostream.job.model.LabelSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The labels an evaluation scores against: one of the known sets (msp-podcast, iemocap4, emotionthinker9) or a
 * list of the user's own. Knows where a label of the default set (MSP-Podcast's eight, the embedded model's)
 * lands in it: through {@link LabelSet#fromDefault} for a known set, as itself in a list of one's own.
 */
public final class EvaluationLabels {
    private final LabelSet set;
    private final boolean known;
    private final Map<String, String> byLowerCase = new HashMap<>();

    private EvaluationLabels(LabelSet set, boolean known) {
        this.set = set;
        this.known = known;
        set.labels().forEach(label -> byLowerCase.put(label.toLowerCase(Locale.ROOT), label));
    }

    public static EvaluationLabels of(LabelSet set) {
        return new EvaluationLabels(set, LabelSet.known().contains(set));
    }

    /** {@code --label-set}: a known set's name, or labels of one's own separated by commas; one sentence otherwise. */
    public static EvaluationLabels parse(String spec) {
        if (!spec.contains(",")) {
            return of(LabelSet.named(spec.trim()));
        }
        List<String> labels = Arrays.stream(spec.split(",")).map(String::trim).toList();
        if (labels.stream().anyMatch(String::isEmpty)
                || labels.stream().map(l -> l.toLowerCase(Locale.ROOT)).distinct().count() != labels.size()) {
            throw new IllegalArgumentException("the labels '" + spec + "' must be distinct and not empty, separated by commas");
        }
        return new EvaluationLabels(new LabelSet("custom", labels), false);
    }

    public String name() {
        return set.name();
    }

    public List<String> labels() {
        return set.labels();
    }

    /** "iemocap4 (neutral, happy, sad, angry)": for messages and reports. */
    public String describe() {
        return set.name() + " (" + String.join(", ", set.labels()) + ")";
    }

    /** The set's own spelling of a label given in any letter case; empty when the set does not have it. */
    public Optional<String> find(String label) {
        return Optional.ofNullable(byLowerCase.get(label.trim().toLowerCase(Locale.ROOT)));
    }

    /** Where a label of the default set lands in this set; empty when it has no counterpart here. */
    public Optional<String> fromDefault(String defaultLabel) {
        String label = defaultLabel.trim().toLowerCase(Locale.ROOT);
        if (!known) {
            return find(label);
        }
        return fromDefault(Map.of(label, 1.0)).entrySet().stream()
                .filter(e -> e.getValue() > 0).map(Map.Entry::getKey).findFirst();
    }

    /** Scores over the default set expressed in this set: merged where several land on one label, renormalised. */
    public Map<String, Double> fromDefault(Map<String, Double> defaultScores) {
        if (known) {
            return set.fromDefault(defaultScores);
        }
        Map<String, Double> mapped = new LinkedHashMap<>();
        set.labels().forEach(label -> mapped.put(label, 0.0));
        double kept = 0;
        for (Map.Entry<String, Double> score : defaultScores.entrySet()) {
            Optional<String> target = find(score.getKey());
            if (target.isPresent()) {
                mapped.merge(target.get(), score.getValue(), Double::sum);
                kept += score.getValue();
            }
        }
        double total = kept;
        if (total > 0) {
            mapped.replaceAll((label, p) -> p / total);
        }
        return mapped;
    }
}
