package io.emostream.job.lexical;

import java.util.Set;

/** The words that negate what follows them, as VADER lists them; shared so valence and keywords agree on "not". */
final class Negation {

    private static final Set<String> NEGATORS = Set.of(
            "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
            "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
            "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
            "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
            "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
            "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
            "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
            "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite");

    private Negation() {
    }

    /** Whether a lower-case token negates: a listed negator, or any contraction with "n't" the list does not name. */
    static boolean isNegator(String lowerCaseToken) {
        return NEGATORS.contains(lowerCaseToken) || lowerCaseToken.contains("n't");
    }
}
