package io.emostream.launcher.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Counts of (reference, prediction) pairs over a label set, and the classification scores read from them. An item
 * the model gave no prediction for (no speech found, unreadable audio) sits in an extra "none" column: it is a miss
 * for its reference class and a false positive for no class.
 *
 * <p>Per class: precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R), each 0 when its denominator
 * is 0 (scikit-learn's {@code zero_division=0}). Macro-F1 and balanced accuracy (the mean recall) average over the
 * classes the references contain: a class nobody labelled has no recall to measure, and predictions into it are
 * already counted as misses of the classes those items belong to.
 */
public final class ConfusionMatrix {
    private final List<String> labels;
    /** [reference][prediction]; the last column counts items with no prediction. */
    private final long[][] counts;

    private ConfusionMatrix(List<String> labels, long[][] counts) {
        this.labels = List.copyOf(labels);
        this.counts = counts;
    }

    /**
     * @param references  one label of {@code labels} per item
     * @param predictions one label of {@code labels} per item, or null where there is no prediction
     */
    public static ConfusionMatrix of(List<String> labels, List<String> references, List<String> predictions) {
        if (references.size() != predictions.size()) {
            throw new IllegalArgumentException(references.size() + " references but " + predictions.size() + " predictions");
        }
        long[][] counts = new long[labels.size()][labels.size() + 1];
        for (int i = 0; i < references.size(); i++) {
            int reference = index(labels, references.get(i));
            String prediction = predictions.get(i);
            counts[reference][prediction == null ? labels.size() : index(labels, prediction)]++;
        }
        return new ConfusionMatrix(labels, counts);
    }

    /** Precision, recall and F1 of one class, with its support (items whose reference it is) and how often it was predicted. */
    public record ClassScores(String label, long support, long predicted, long truePositives, double precision,
                              double recall, double f1) {
    }

    public List<String> labels() {
        return labels;
    }

    /** Items with this reference and this prediction; a null prediction counts the items with none. */
    public long count(String reference, String prediction) {
        return counts[index(labels, reference)][prediction == null ? labels.size() : index(labels, prediction)];
    }

    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long count : row) {
                total += count;
            }
        }
        return total;
    }

    public long correct() {
        long correct = 0;
        for (int l = 0; l < labels.size(); l++) {
            correct += counts[l][l];
        }
        return correct;
    }

    /** Items with no prediction. */
    public long unpredicted() {
        long none = 0;
        for (long[] row : counts) {
            none += row[labels.size()];
        }
        return none;
    }

    public double accuracy() {
        return (double) correct() / total();
    }

    public ClassScores scores(String label) {
        int l = index(labels, label);
        long support = 0;
        for (long count : counts[l]) {
            support += count;
        }
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[l];
        }
        long tp = counts[l][l];
        double precision = predicted == 0 ? 0 : (double) tp / predicted;
        double recall = support == 0 ? 0 : (double) tp / support;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassScores(label, support, predicted, tp, precision, recall, f1);
    }

    public List<ClassScores> perClass() {
        List<ClassScores> all = new ArrayList<>();
        labels.forEach(label -> all.add(scores(label)));
        return all;
    }

    /** The classes the references contain: those macro-F1 and balanced accuracy average over. */
    public List<String> supportedLabels() {
        return perClass().stream().filter(c -> c.support() > 0).map(ClassScores::label).toList();
    }

    /** Mean F1 over the classes the references contain. */
    public double macroF1() {
        return perClass().stream().filter(c -> c.support() > 0).mapToDouble(ClassScores::f1).average().orElse(Double.NaN);
    }

    /** Unweighted accuracy: the mean recall over the classes the references contain. */
    public double balancedAccuracy() {
        return perClass().stream().filter(c -> c.support() > 0).mapToDouble(ClassScores::recall).average().orElse(Double.NaN);
    }

    private static int index(List<String> labels, String label) {
        int index = labels.indexOf(Objects.requireNonNull(label, "reference label"));
        if (index < 0) {
            throw new IllegalArgumentException("'" + label + "' is not one of " + labels);
        }
        return index;
    }
}
