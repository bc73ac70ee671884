package io.emostream.job.phrases;

import io.emostream.job.phrases.Words.Word;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One phrase of a rule, matched word by word: "cancel my account", with {@code *} standing alone for any zero to
 * {@value #GAP} words of the same clause ("speak to * manager": "speak to your manager", "speak to the duty
 * manager") and a word ending in {@code *} for any word it begins ("cancel*": "cancels", "cancelling").
 */
public final class Phrase implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The most words one {@code *} stands for. */
    static final int GAP = 3;
    /** The shortest stem a word wildcard may have, so that "a*" cannot match half the language. */
    static final int MIN_STEM = 3;

    private sealed interface Part extends Serializable permits Exactly, Stem, Gap {
    }

    private record Exactly(String word) implements Part {
    }

    private record Stem(String prefix) implements Part {
    }

    private record Gap() implements Part {
    }

    /**
     * Where a phrase matched.
     *
     * @param start   the index of its first word
     * @param end     the index after its last word
     * @param literal the indices of the words its own words matched, not those a {@code *} stood for
     */
    record Span(int start, int end, List<Integer> literal) {
    }

    private final String text;
    private final List<Part> parts;

    private Phrase(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /**
     * Reads a phrase as a rule file writes it.
     *
     * @throws IllegalArgumentException with what is wrong, in a clause that completes "the phrase ... "
     */
    static Phrase parse(String text) {
        List<Part> parts = new ArrayList<>();
        for (String piece : text.strip().split("\\s+")) {
            if (piece.equals("*")) {
                if (parts.isEmpty() || parts.get(parts.size() - 1) instanceof Gap) {
                    throw new IllegalArgumentException("starts with '*' or has two in a row; '*' stands between words");
                }
                parts.add(new Gap());
            } else if (piece.endsWith("*")) {
                List<Word> stem = Words.of(piece.substring(0, piece.length() - 1));
                if (stem.size() != 1 || stem.get(0).isClauseMark() || piece.indexOf('*') < piece.length() - 1) {
                    throw new IllegalArgumentException("has '" + piece + "'; a '*' ends a single word (cancel*) or"
                            + " stands alone between words");
                }
                if (stem.get(0).text().length() < MIN_STEM) {
                    throw new IllegalArgumentException("has the stem '" + piece + "'; a stem needs at least "
                            + MIN_STEM + " letters before its '*'");
                }
                parts.add(new Stem(stem.get(0).text()));
            } else if (piece.contains("*")) {
                throw new IllegalArgumentException("has '" + piece + "'; a '*' ends a single word (cancel*) or"
                        + " stands alone between words");
            } else {
                Words.of(piece).forEach(word -> parts.add(new Exactly(word.text())));
            }
        }
        if (parts.stream().noneMatch(part -> part instanceof Stem
                || (part instanceof Exactly exactly && Character.isLetterOrDigit(exactly.word().charAt(0))))) {
            throw new IllegalArgumentException("has no words");
        }
        if (parts.get(parts.size() - 1) instanceof Gap) {
            throw new IllegalArgumentException("ends with '*'; '*' stands between words");
        }
        return new Phrase(text.strip(), parts);
    }

    /** The word the phrase opens with, or the stem when it opens with one ({@link #opensWithStem()}). */
    String firstWord() {
        return parts.get(0) instanceof Exactly exactly ? exactly.word() : ((Stem) parts.get(0)).prefix();
    }

    boolean opensWithStem() {
        return parts.get(0) instanceof Stem;
    }

    /** The phrase as written. */
    public String text() {
        return text;
    }

    /** Where the phrase matches starting at word {@code start}, its gaps as short as they can be; null if it does not. */
    Span matchAt(List<Word> words, int start) {
        List<Integer> literal = new ArrayList<>();
        int end = match(words, start, 0, literal);
        return end < 0 ? null : new Span(start, end, List.copyOf(literal));
    }

    /** The index after the match of parts {@code from}... at word {@code at}, or -1; fills in the literal words. */
    private int match(List<Word> words, int at, int from, List<Integer> literal) {
        if (from == parts.size()) {
            return at;
        }
        Part part = parts.get(from);
        if (part instanceof Gap) {
            for (int skip = 0; skip <= GAP; skip++) {
                if (skip > 0 && (at + skip - 1 >= words.size() || words.get(at + skip - 1).isClauseMark())) {
                    return -1;
                }
                int size = literal.size();
                int end = match(words, at + skip, from + 1, literal);
                if (end >= 0) {
                    return end;
                }
                literal.subList(size, literal.size()).clear();
            }
            return -1;
        }
        if (at >= words.size() || !matches(part, words.get(at).text())) {
            return -1;
        }
        literal.add(at);
        int end = match(words, at + 1, from + 1, literal);
        if (end < 0) {
            literal.remove(literal.size() - 1);
        }
        return end;
    }

    private static boolean matches(Part part, String word) {
        return part instanceof Exactly exactly ? exactly.word().equals(word) : word.startsWith(((Stem) part).prefix());
    }

    @Override
    public String toString() {
        return text;
    }
}
