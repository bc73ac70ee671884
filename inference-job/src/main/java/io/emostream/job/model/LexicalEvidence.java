package io.emostream.job.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the words of an utterance say, as a model and a rationale see it.
 *
 * @param valence        sentence valence, -1 (negative) to 1 (positive), read in the domain of the phrase rules;
 *                       0 without a transcript
 * @param valenceWords   the words that drove the valence, strongest first (a phrase rule's match is one of them)
 * @param keywords       emotion label → the keywords of that emotion found in the transcript
 * @param categories     phrase rule category → the words that matched it, in transcript order
 *                       ({@code churn_risk -> [want to cancel]})
 */
public record LexicalEvidence(double valence, List<String> valenceWords, Map<String, List<String>> keywords,
                              Map<String, List<String>> categories) implements Serializable {

    public static final LexicalEvidence NONE = new LexicalEvidence(0.0, List.of(), Map.of(), Map.of());

    public LexicalEvidence {
        valenceWords = List.copyOf(valenceWords);
        keywords = Map.copyOf(keywords);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        categories.forEach((category, words) -> copy.put(category, List.copyOf(words)));
        categories = Collections.unmodifiableMap(copy);
    }

    /** Evidence without phrase rule categories. */
    public LexicalEvidence(double valence, List<String> valenceWords, Map<String, List<String>> keywords) {
        this(valence, valenceWords, keywords, Map.of());
    }

    public boolean isEmpty() {
        return valenceWords.isEmpty() && keywords.isEmpty() && categories.isEmpty() && valence == 0.0;
    }
}
