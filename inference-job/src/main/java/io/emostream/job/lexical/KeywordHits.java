package io.emostream.job.lexical;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emotion keywords a transcript contains.
 *
 * @param byEmotion for each emotion with at least one hit, in the label order of {@link EmotionKeywords#LABELS},
 *                  the terms found, each once, in the order first said: {@code angry -> [sick of, cancel]}
 */
public record KeywordHits(Map<String, List<String>> byEmotion) {

    /** No hits. */
    public static final KeywordHits NONE = new KeywordHits(Map.of());

    public KeywordHits {
        // Copied in order: the label order is what a reader of the map expects to iterate in.
        Map<String, List<String>> copy = new LinkedHashMap<>();
        byEmotion.forEach((emotion, terms) -> copy.put(emotion, List.copyOf(terms)));
        byEmotion = Collections.unmodifiableMap(copy);
    }

    /** The terms found for one emotion; empty when none were. */
    public List<String> terms(String emotion) {
        return byEmotion.getOrDefault(emotion, List.of());
    }

    /** How many distinct terms were found, over all emotions. */
    public int total() {
        return byEmotion.values().stream().mapToInt(List::size).sum();
    }

    public boolean isEmpty() {
        return total() == 0;
    }
}
