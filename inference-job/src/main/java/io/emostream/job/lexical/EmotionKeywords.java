package io.emostream.job.lexical;

import io.emostream.job.phrases.Words;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Words and short phrases that hint at an emotion ("sick of", "passed away", "no way"), found in a transcript.
 *
 * <p>The list is our own, hand-made for contact-centre calls and podcasts, and is a heuristic: a hit is a cue
 * for the estimator and a word to quote in a rationale, never a verdict on its own. It lives in
 * {@value #KEYWORDS_RESOURCE} beside this class (see the README there). Terms match whole words only, so
 * "cancel" does not match "cancellation"; at each position the longest term wins. A term does not count when
 * a negator ("not", "never", "don't", ...) stands up to three words before it in the same clause, or "no" up to
 * two words before it, the same reach VADER gives them; "never so" and "never this" emphasise rather than
 * negate, as in VADER. Immutable, so one instance serves any number of threads.
 */
public final class EmotionKeywords {

    /** The default label set of the emotion model, which the keyword list files terms under. */
    public static final List<String> LABELS =
            List.of("neutral", "happy", "sad", "angry", "surprised", "fearful", "disgusted", "contemptuous");

    static final String KEYWORDS_RESOURCE = "emotion_keywords.tsv";

    private static final int NEGATION_REACH = 3;
    private static final int NO_REACH = 2;
    private static final Set<String> SO_OR_THIS = Set.of("so", "this");

    private record Term(String text, List<String> tokens, String emotion) {
    }

    // Terms by their first word, longest first, so a scan tries only the terms that can start where it stands.
    private final Map<String, List<Term>> termsByFirstToken;

    private EmotionKeywords(Map<String, List<Term>> termsByFirstToken) {
        this.termsByFirstToken = termsByFirstToken;
    }

    /** Reads the keyword list bundled with this class; a malformed list is our bug and fails here. */
    public static EmotionKeywords load() {
        Map<String, List<Term>> byFirstToken = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> lines = BundledText.lines(KEYWORDS_RESOURCE);
        for (int n = 0; n < lines.size(); n++) {
            String[] fields = lines.get(n).split("\t", -1);
            String where = KEYWORDS_RESOURCE + " line " + (n + 1);
            if (fields.length != 2) {
                throw new IllegalStateException(where + " is not an emotion and a term separated by one tab.");
            }
            String emotion = fields[0];
            String text = fields[1];
            List<String> tokens = tokens(text);
            if (!LABELS.contains(emotion)) {
                throw new IllegalStateException(where + " files a term under " + emotion + ", not one of " + LABELS);
            }
            if (tokens.isEmpty() || !text.equals(text.toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException(where + " has a term that is empty or not in lower case: " + text);
            }
            // One emotion per term, so a hit names one emotion.
            if (!seen.add(String.join(" ", tokens))) {
                throw new IllegalStateException(where + " lists the term \"" + text + "\" a second time.");
            }
            byFirstToken.computeIfAbsent(tokens.get(0), first -> new ArrayList<>())
                    .add(new Term(text, tokens, emotion));
        }
        Map<String, List<Term>> sorted = new HashMap<>();
        byFirstToken.forEach((first, terms) -> sorted.put(first,
                terms.stream().sorted(Comparator.comparingInt((Term t) -> t.tokens().size()).reversed()).toList()));
        return new EmotionKeywords(Map.copyOf(sorted));
    }

    /** The terms the text contains, by emotion; each term once, in the order first said. */
    public KeywordHits find(String text) {
        List<String> tokens = tokens(text);
        Map<String, Set<String>> found = new HashMap<>();
        int i = 0;
        while (i < tokens.size()) {
            Term term = longestTermAt(tokens, i);
            if (term == null) {
                i++;
                continue;
            }
            if (!isNegated(tokens, i)) {
                found.computeIfAbsent(term.emotion(), e -> new LinkedHashSet<>()).add(term.text());
            }
            i += term.tokens().size();
        }
        if (found.isEmpty()) {
            return KeywordHits.NONE;
        }
        Map<String, List<String>> byEmotion = new LinkedHashMap<>();
        for (String emotion : LABELS) {
            Set<String> terms = found.get(emotion);
            if (terms != null) {
                byEmotion.put(emotion, List.copyOf(terms));
            }
        }
        return new KeywordHits(byEmotion);
    }

    private Term longestTermAt(List<String> tokens, int start) {
        for (Term term : termsByFirstToken.getOrDefault(tokens.get(start), List.of())) {
            int end = start + term.tokens().size();
            if (end <= tokens.size() && tokens.subList(start, end).equals(term.tokens())) {
                return term;
            }
        }
        return null;
    }

    /** Whether a negator stands before the term at {@code start}, within reach and in the same clause. */
    private static boolean isNegated(List<String> tokens, int start) {
        for (int distance = 1; distance <= NEGATION_REACH && distance <= start; distance++) {
            String word = tokens.get(start - distance);
            if (isClauseMark(word)) {
                return false;
            }
            if (word.equals("never") && tokens.subList(start - distance + 1, start).stream()
                    .anyMatch(SO_OR_THIS::contains)) {
                continue;
            }
            if (Negation.isNegator(word) || (word.equals("no") && distance <= NO_REACH)) {
                return true;
            }
        }
        return false;
    }

    /** The words of the text and its clause marks, as phrase rules cut them ({@link Words}). */
    private static List<String> tokens(String text) {
        return Words.of(text).stream().map(Words.Word::text).toList();
    }

    private static boolean isClauseMark(String token) {
        return token.length() == 1 && Words.CLAUSE_MARKS.indexOf(token.charAt(0)) >= 0;
    }
}
