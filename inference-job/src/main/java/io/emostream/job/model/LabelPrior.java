package io.emostream.job.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often each label occurs where an utterance comes from, before anything about it is heard: the prior of a
 * domain and speaker role (see {@code io.emostream.job.domain.DomainProfile}). A model without a training prior of its
 * own, such as the cue estimator, multiplies its likelihoods by it.
 *
 * @param name          says whose prior it is, e.g. "contact-centre, customer"
 * @param probabilities probability per label; positive, summing to 1
 */
public record LabelPrior(String name, Map<String, Double> probabilities) implements Serializable {

    public LabelPrior {
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
        double sum = probabilities.values().stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(sum - 1.0) > 1e-9 || probabilities.values().stream().anyMatch(p -> !(p > 0))) {
            throw new IllegalArgumentException("the prior '" + name + "' must give every label a positive share,"
                    + " summing to 1: " + probabilities);
        }
    }

    /** Every label of the set equally likely: no knowledge of where the utterance comes from. */
    public static LabelPrior uniform(LabelSet set) {
        Map<String, Double> even = new LinkedHashMap<>();
        set.labels().forEach(label -> even.put(label, 1.0 / set.labels().size()));
        return new LabelPrior("uniform", even);
    }

    /** The prior probability of a label; 0 for a label the prior does not know. */
    public double of(String label) {
        return probabilities.getOrDefault(label, 0.0);
    }
}
