package io.emostream.launcher.evaluate;

import java.util.Map;

/**
 * What the pipeline said about one utterance of an item, already in the evaluation's labels.
 *
 * @param scores    a distribution over the evaluation's labels (all zeros when none of the model's labels maps)
 * @param grounding its rationale's claims and how many the measured cues support
 */
public record UtteranceResult(long startMs, long endMs, Map<String, Double> scores, double arousal, double valence,
                              Grounding grounding) {
    public UtteranceResult {
        scores = Map.copyOf(scores);
    }

    /** Its weight in the item's prediction: its length, at least 1 ms. */
    long weightMs() {
        return Math.max(1, endMs - startMs);
    }
}
