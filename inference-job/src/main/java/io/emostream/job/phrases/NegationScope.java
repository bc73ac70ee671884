package io.emostream.job.phrases;

import io.emostream.job.phrases.Words.Word;
import java.util.List;
import java.util.Set;

/**
 * Whether a phrase is negated: "I don't want to cancel", "I'm not going to sue anyone", "nothing to complain about".
 *
 * <p>A phrase is negated when a negator stands up to {@value #REACH} words before it in the same clause, the reach
 * VADER gives negation. Negators are "not", "no", "never", "cannot", "without", "nothing", "neither", "nor" and
 * every word ending in "n't", with the apostrophe-less spellings recognisers write ("dont", "cant"). Shorter than
 * VADER's list on purpose: "rarely", "seldom" and "despite" soften a sentiment but do not take back an intent such
 * as "cancel my account". A negator that opens an idiom that negates nothing ("no problem", "not a problem", "no
 * worries", "no thanks", "no thank you", "never mind", "no doubt", "no wonder", "not only", "not just") does not
 * count: "no thank you" is thanks. A negator inside a phrase ("not working", "never turned up") is part of it.
 */
final class NegationScope {

    static final int REACH = 3;

    private static final Set<String> NEGATORS = Set.of("not", "no", "never", "cannot", "without", "nothing", "neither",
            "nor", "aint", "arent", "cant", "couldnt", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent", "isnt",
            "mustnt", "neednt", "shouldnt", "wasnt", "werent", "wont", "wouldnt");
    private static final List<List<String>> IDIOMS = List.of(
            List.of("no", "problem"), List.of("not", "a", "problem"), List.of("no", "worries"), List.of("no", "thanks"),
            List.of("no", "thank", "you"), List.of("never", "mind"), List.of("no", "doubt"), List.of("no", "wonder"),
            List.of("not", "only"), List.of("not", "just"));

    private NegationScope() {
    }

    /** Whether the words before {@code start} negate what begins there. */
    static boolean negates(List<Word> words, int start) {
        for (int distance = 1; distance <= REACH && distance <= start; distance++) {
            int at = start - distance;
            Word word = words.get(at);
            if (word.isClauseMark()) {
                return false;
            }
            if (isNegator(word.text()) && !opensIdiom(words, at)) {
                return true;
            }
        }
        return false;
    }

    static boolean isNegator(String word) {
        return NEGATORS.contains(word) || word.endsWith("n't");
    }

    private static boolean opensIdiom(List<Word> words, int at) {
        for (List<String> idiom : IDIOMS) {
            if (at + idiom.size() <= words.size() && words.subList(at, at + idiom.size()).stream()
                    .map(Word::text).toList().equals(idiom)) {
                return true;
            }
        }
        return false;
    }
}
