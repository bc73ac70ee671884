package io.emostream.launcher.evaluate;

/** A labelled clip and what the pipeline predicted for it. */
public record ScoredItem(LabelledItem item, ItemPrediction prediction) {
    /** Whether the prediction is the majority label. */
    public boolean correct() {
        return item.majority().equals(prediction.label());
    }

    /** Whether the prediction is any annotator's label (the majority's included). */
    public boolean correctForAnyAnnotator() {
        return prediction.present() && AnnotatorAware.reference(item.majority(), item.annotators(), prediction.label())
                .equals(prediction.label());
    }
}
