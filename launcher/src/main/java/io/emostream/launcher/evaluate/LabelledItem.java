package io.emostream.launcher.evaluate;

import java.nio.file.Path;
import java.util.List;

/**
 * One labelled clip of a manifest, its labels already in the evaluation's set.
 *
 * @param line         the manifest line it starts on, for messages
 * @param startSeconds where the clip starts in its file (0 for the whole file)
 * @param endSeconds   where it ends (infinite: the end of the file)
 * @param majority     the majority label, given or the annotators' plurality
 * @param annotators   the annotators' labels that are in the set, in the manifest's order; empty when none were given
 * @param arousal      the reference arousal on the model's −1 to 1 scale, or null
 * @param valence      the reference valence on the model's −1 to 1 scale, or null
 * @param dominance    the reference dominance on −1 to 1, or null; carried into the predictions, not scored (the
 *                     model estimates no dominance)
 */
public record LabelledItem(int line, String id, Path audio, double startSeconds, double endSeconds, String majority,
                           List<String> annotators, Double arousal, Double valence, Double dominance) {
    public LabelledItem {
        annotators = List.copyOf(annotators);
    }

    /** Whether the clip is a part of its file rather than the whole of it. */
    public boolean segment() {
        return startSeconds > 0 || endSeconds != Double.POSITIVE_INFINITY;
    }
}
