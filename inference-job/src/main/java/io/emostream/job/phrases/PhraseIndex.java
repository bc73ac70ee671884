package io.emostream.job.phrases;

import io.emostream.job.phrases.Words.Word;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Phrases by the word they open with, so that a scan of a transcript tries at each word only the phrases that can
 * start there: a few out of hundreds.
 */
final class PhraseIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * A phrase and whose it is.
     *
     * @param owner the index of the rule it belongs to (0 for neutral phrases)
     */
    record Entry(int owner, Phrase phrase) implements Serializable {
    }

    /** A phrase that matched, and where. */
    record Found(int owner, Phrase.Span span) {
    }

    private final Map<String, List<Entry>> byFirstWord = new HashMap<>();
    private final List<Entry> openingWithStem = new ArrayList<>();

    PhraseIndex(List<Entry> entries) {
        for (Entry entry : entries) {
            if (entry.phrase().opensWithStem()) {
                openingWithStem.add(entry);
            } else {
                byFirstWord.computeIfAbsent(entry.phrase().firstWord(), word -> new ArrayList<>()).add(entry);
            }
        }
    }

    /** The phrases that match starting at word {@code i}, in the order they were given. */
    List<Found> at(List<Word> words, int i) {
        String word = words.get(i).text();
        List<Found> found = new ArrayList<>();
        for (Entry entry : byFirstWord.getOrDefault(word, List.of())) {
            add(found, entry, words, i);
        }
        for (Entry entry : openingWithStem) {
            if (word.startsWith(entry.phrase().firstWord())) {
                add(found, entry, words, i);
            }
        }
        return found;
    }

    private static void add(List<Found> found, Entry entry, List<Word> words, int i) {
        Phrase.Span span = entry.phrase().matchAt(words, i);
        if (span != null) {
            found.add(new Found(entry.owner(), span));
        }
    }
}
