package io.emostream.launcher.evaluate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Annotator-aware scoring, as in "Reasoning Beyond Majority Vote" on MSP-Podcast v1.12: a prediction is credited
 * when it matches ANY annotator's label, since a minority reading of an utterance is a valid reading too.
 *
 * <p>For F1 every item needs one reference, so it is taken to be the predicted label when some annotator gave it
 * (a true positive of that class), otherwise the majority label (a false negative of the majority class and a false
 * positive of the predicted one, as in majority scoring). The majority label always counts as an annotator's, so a
 * prediction that is right by the majority is right here too, and annotator-aware scores are never below majority
 * ones in accuracy.
 */
public final class AnnotatorAware {
    private AnnotatorAware() {
    }

    /** The reference an item is scored against: the prediction when any annotator (or the majority) gave it. */
    public static String reference(String majority, Collection<String> annotators, String prediction) {
        boolean credited = prediction != null && (prediction.equals(majority) || annotators.contains(prediction));
        return credited ? prediction : majority;
    }

    /** The confusion matrix of the predictions against those references. */
    public static ConfusionMatrix matrix(List<String> labels, List<String> majorities,
            List<? extends Collection<String>> annotators, List<String> predictions) {
        List<String> references = new ArrayList<>(majorities.size());
        for (int i = 0; i < majorities.size(); i++) {
            references.add(reference(majorities.get(i), annotators.get(i), predictions.get(i)));
        }
        return ConfusionMatrix.of(labels, references, predictions);
    }
}
