package io.emostream.job.model;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What the words of an utterance say, as a model and a rationale see it.
 *
 * @param valence        sentence valence, -1 (negative) to 1 (positive); 0 without a transcript
 * @param valenceWords   the words that drove the valence, strongest first
 * @param keywords       emotion label → the keywords of that emotion found in the transcript
 */
public record LexicalEvidence(double valence, List<String> valenceWords, Map<String, List<String>> keywords)
        implements Serializable {

    public static final LexicalEvidence NONE = new LexicalEvidence(0.0, List.of(), Map.of());

    public LexicalEvidence {
        valenceWords = List.copyOf(valenceWords);
        keywords = Map.copyOf(keywords);
    }

    public boolean isEmpty() {
        return valenceWords.isEmpty() && keywords.isEmpty() && valence == 0.0;
    }
}
