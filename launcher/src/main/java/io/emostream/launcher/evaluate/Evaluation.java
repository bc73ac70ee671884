package io.emostream.launcher.evaluate;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Every figure of an evaluation, computed from the scored clips: majority and annotator-aware classification
 * scores, arousal and valence concordance, calibration and rationale grounding. The definitions are in
 * docs/evaluation.md, and each class says its own.
 */
public record Evaluation(EvaluationLabels labels, List<ScoredItem> items, ConfusionMatrix majority,
                         ConfusionMatrix annotatorAware, Agreement arousal, Agreement valence, Calibration calibration,
                         Grounding grounding) {

    /**
     * The concordance of one dimension over the clips that have both a reference and an estimate.
     *
     * @param estimatesVary false when the model gave every clip the same value, which makes the CCC 0 whatever the
     *                      references (the embedded default's valence, from the words, is 0 without a transcript)
     */
    public record Agreement(double ccc, int items, boolean estimatesVary) {
    }

    public static Evaluation of(EvaluationLabels labels, List<ScoredItem> items) {
        List<String> majorities = items.stream().map(s -> s.item().majority()).toList();
        List<String> predictions = items.stream().map(s -> s.prediction().label()).toList();
        ConfusionMatrix majority = ConfusionMatrix.of(labels.labels(), majorities, predictions);
        ConfusionMatrix annotatorAware = AnnotatorAware.matrix(labels.labels(), majorities,
                items.stream().map(s -> s.item().annotators()).toList(), predictions);

        List<ScoredItem> predicted = items.stream().filter(s -> s.prediction().present()).toList();
        double[] confidence = predicted.stream().mapToDouble(s -> s.prediction().confidence()).toArray();
        boolean[] correct = new boolean[predicted.size()];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = predicted.get(i).correct();
        }
        Grounding grounding = items.stream().map(s -> s.prediction().grounding()).reduce(Grounding.NONE, Grounding::plus);
        return new Evaluation(labels, List.copyOf(items), majority, annotatorAware,
                agreement(items, LabelledItem::arousal, ItemPrediction::arousal),
                agreement(items, LabelledItem::valence, ItemPrediction::valence),
                Calibration.of(confidence, correct, Calibration.DEFAULT_BINS), grounding);
    }

    private static Agreement agreement(List<ScoredItem> items, Function<LabelledItem, Double> reference,
            Function<ItemPrediction, Double> prediction) {
        List<ScoredItem> both = items.stream()
                .filter(s -> reference.apply(s.item()) != null && s.prediction().utterances() > 0).toList();
        double[] x = both.stream().mapToDouble(s -> reference.apply(s.item())).toArray();
        double[] y = both.stream().mapToDouble(s -> prediction.apply(s.prediction())).toArray();
        // Weighted means of one value may differ in their last bits: that is not variation.
        boolean vary = y.length > 0 && Arrays.stream(y).max().orElseThrow() - Arrays.stream(y).min().orElseThrow() > 1e-9;
        return new Agreement(Concordance.ccc(x, y), both.size(), vary);
    }

    /** Clips without a prediction. */
    public List<ScoredItem> unpredicted() {
        return items.stream().filter(s -> !s.prediction().present()).toList();
    }
}
