package io.emostream.job.phrases;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A transcript cut into lower-case words, each with where it stands in the text, so that a match can quote the
 * words as they were said and a valence can be placed on them.
 *
 * <p>A word is letters and digits, with the apostrophes and hyphens inside it ("isn't", "e-mail"); "’" counts as
 * "'". The clause marks {@value #CLAUSE_MARKS} are words of their own, so that phrases may include them and
 * negation does not reach across them. Anything else separates words.
 */
public final class Words {

    /** Marks that end a clause. */
    public static final String CLAUSE_MARKS = ",.;:!?";

    /**
     * One word of a text.
     *
     * @param text  the word in lower case, "’" written "'"
     * @param start the index of its first character in the text
     * @param end   the index just after its last character
     */
    public record Word(String text, int start, int end) {

        /** Whether this is a clause mark rather than a word. */
        public boolean isClauseMark() {
            return text.length() == 1 && CLAUSE_MARKS.indexOf(text.charAt(0)) >= 0;
        }
    }

    private Words() {
    }

    /** The words of a text, in order. */
    public static List<Word> of(String text) {
        List<Word> words = new ArrayList<>();
        int k = 0;
        while (k < text.length()) {
            char c = text.charAt(k);
            if (Character.isLetterOrDigit(c)) {
                int start = k;
                k++;
                while (k < text.length() && (Character.isLetterOrDigit(text.charAt(k))
                        || (isJoiner(text.charAt(k)) && k + 1 < text.length()
                                && Character.isLetterOrDigit(text.charAt(k + 1))))) {
                    k++;
                }
                words.add(new Word(text.substring(start, k).toLowerCase(Locale.ROOT).replace('\u2019', '\''), start, k));
            } else {
                if (CLAUSE_MARKS.indexOf(c) >= 0) {
                    words.add(new Word(String.valueOf(c), k, k + 1));
                }
                k++;
            }
        }
        return words;
    }

    private static boolean isJoiner(char c) {
        return c == '\'' || c == '\u2019' || c == '-';
    }
}
