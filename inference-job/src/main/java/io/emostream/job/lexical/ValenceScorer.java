package io.emostream.job.lexical;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * VADER's rule-based valence of a sentence (Hutto &amp; Gilbert, "VADER: A Parsimonious Rule-based Model for
 * Sentiment Analysis of Social Media Text", ICWSM 2014), scored with VADER's own lexicon.
 *
 * <p>Each token found in the lexicon starts from its mean human rating, from -4 to 4. Its neighbours then adjust
 * it: booster and dampener words ("very", "kind of") up to three tokens before it, negation up to three tokens
 * before it, ALL-CAPS emphasis when the rest of the text is not in capitals, "no", "least", a few idioms, and
 * "but", which halves what comes before it and raises what follows it by half. Exclamation and question marks
 * add emphasis to the sum, which is then normalised into [-1, 1].
 *
 * <p>The rules and constants are those of the reference implementation (github.com/cjhutto/vaderSentiment),
 * which the published example scores come from, except where that code slips from what it says it does:
 * <ul>
 *   <li>it multiplies any word right after "so" or "this" by 1.25, an operator-precedence slip; here, as its
 *       comments intend, only after "never" ("never been this good" is praise, not negation);
 *   <li>it looks for idioms ("kind of", "the bomb") only when the word has three tokens before it and the third
 *       is not in the lexicon, so "kind of good" opening a sentence is not dampened; here it always looks;
 *   <li>its "kind of", "sort of" and "just enough" push a negative word further down; here they dampen it, as
 *       the one-word dampeners do;
 *   <li>it finds the words around "but" by their score rather than their position, which misweighs a word
 *       after "but" that scores the same as one before it; here the position decides.
 * </ul>
 * Emoji are not scored: the reference's emoji table is not in the packages we vendor from, and transcripts hold
 * none.
 *
 * <p>A domain can set words' ratings aside ({@link Rerating}): the words a phrase rule matched then count as one
 * word with the rule's category valence, and words neutral in the domain ("credit", "please" on a service call)
 * count as unrated. Immutable, so one instance serves any number of threads.
 */
public final class ValenceScorer {

    static final String LEXICON_RESOURCE = "vader_lexicon.txt";

    // The paper's empirically derived mean changes in rating.
    private static final double DEGREE_STEP = 0.293;
    private static final double CAPS_EMPHASIS = 0.733;
    private static final double NEGATION_SCALAR = -0.74;
    private static final double EXCLAMATION_EMPHASIS = 0.292;
    private static final int MAX_EXCLAMATIONS = 4;
    private static final double QUESTION_EMPHASIS = 0.18;
    private static final int MAX_QUESTIONS = 3;
    private static final double MANY_QUESTIONS_EMPHASIS = 0.96;

    private static final double NEVER_SO_EMPHASIS = 1.25;
    private static final Set<String> SO_OR_THIS = Set.of("so", "this");
    private static final Set<String> DOUBT = Set.of("doubt");
    private static final double BEFORE_BUT = 0.5;
    private static final double AFTER_BUT = 1.5;
    // A degree word two tokens away counts 95%, three tokens away 90%.
    private static final double[] DEGREE_WEIGHT_BY_DISTANCE = {1.0, 0.95, 0.9};
    private static final int NEIGHBOURHOOD = 3;
    // About the largest raw sum VADER expects; the compound score nears ±1 as the sum grows past it.
    private static final double NORMALISATION_ALPHA = 15;
    // A rationale names a few words; five covers a long utterance without listing every word in it.
    private static final int MAX_DRIVERS = 5;

    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static final Set<String> BOOSTERS = Set.of(
            "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly", "deeply",
            "effing", "enormous", "enormously", "entirely", "especially", "exceptional", "exceptionally", "extreme",
            "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking", "fricking", "frickin",
            "frigging", "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly",
            "hugely", "incredible", "incredibly", "intensely", "major", "majorly", "more", "most", "particularly",
            "purely", "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally",
            "tremendous", "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very");
    private static final Set<String> DAMPENERS = Set.of(
            "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little", "marginal", "marginally",
            "occasional", "occasionally", "partly", "scarce", "scarcely", "slight", "slightly", "somewhat", "sorta",
            "sortof", "sort-of");
    private static final Set<String> PHRASE_DAMPENERS = Set.of("kind of", "sort of", "just enough");
    // Phrases that mean something else as a whole than their lexicon words do one by one.
    private static final Map<String, Double> IDIOMS = Map.of(
            "the shit", 3.0, "the bomb", 3.0, "bad ass", 1.5, "bus stop", 0.0, "yeah right", -2.0,
            "kiss of death", -1.5, "to die for", 3.0, "beating heart", 3.1, "broken heart", -2.9);

    /**
     * Words of the text whose lexicon ratings are set aside, with the valence that counts in their place.
     *
     * @param start   the index of the first character in the text
     * @param end     the index after the last
     * @param text    how the score's drivers name the stretch
     * @param valence on the lexicon's scale, -4 to 4; counted once, at the stretch's first word (so "but" weighs it
     *                by where it stands); 0 leaves the words unrated
     */
    public record Rerating(int start, int end, String text, double valence) {
    }

    /** A word or a re-rated stretch that moves the score, at the index of its (first) word. */
    private record Item(int index, String text, double valence) {
    }

    /** A word of the text, stripped of its punctuation, and where it stands. */
    private record Token(String word, int start, int end) {
    }

    private final Map<String, Double> lexicon;

    private ValenceScorer(Map<String, Double> lexicon) {
        this.lexicon = lexicon;
    }

    /** Reads the VADER lexicon bundled with this class. */
    public static ValenceScorer load() {
        Map<String, Double> lexicon = new HashMap<>();
        List<String> lines = BundledText.lines(LEXICON_RESOURCE);
        for (int n = 0; n < lines.size(); n++) {
            // word, mean rating, standard deviation, the ten raters' ratings
            String[] fields = lines.get(n).split("\t", 3);
            if (fields.length < 2) {
                throw new IllegalStateException(LEXICON_RESOURCE + " line " + (n + 1) + " has no rating.");
            }
            String word = fields[0];
            // Lookups are lower-cased, as in the reference, where entries written with capitals (":D", "O_o")
            // therefore never match; they are left out here too.
            if (!word.equals(word.toLowerCase(Locale.ROOT))) {
                continue;
            }
            try {
                // A word listed twice keeps its last rating, as in the reference.
                lexicon.put(word, Double.parseDouble(fields[1]));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(LEXICON_RESOURCE + " line " + (n + 1) + " has a rating that is not a"
                        + " number: " + fields[1], e);
            }
        }
        return new ValenceScorer(Map.copyOf(lexicon));
    }

    /** How many distinct words and emoticons the scorer can find in the lexicon. */
    public int lexiconSize() {
        return lexicon.size();
    }

    /** Scores one sentence or short utterance; text without words scores {@link ValenceScore#NONE}. */
    public ValenceScore score(String text) {
        return score(text, List.of());
    }

    /**
     * Scores one sentence or short utterance with some of its words' ratings set aside: a word that overlaps a
     * rerating counts as unrated, and each rerating with a valence counts as one rated word, its first.
     */
    public ValenceScore score(String text, List<Rerating> reratings) {
        // Phones and transcribers write the typographic apostrophe; the lexicon and the negators use the ASCII one.
        text = text.replace('\u2019', '\'');
        Token[] tokens = tokens(text);
        if (tokens.length == 0) {
            return ValenceScore.NONE;
        }
        String[] words = Arrays.stream(tokens).map(Token::word).toArray(String[]::new);
        String[] lower = new String[words.length];
        int allCaps = 0;
        for (int i = 0; i < words.length; i++) {
            lower[i] = words[i].toLowerCase(Locale.ROOT);
            if (isAllCaps(words[i])) {
                allCaps++;
            }
        }
        // Capitals only stand out, and so only emphasise, when some words are not in capitals.
        boolean capsStandOut = allCaps > 0 && allCaps < words.length;

        double[] valences = new double[words.length];
        for (int i = 0; i < words.length; i++) {
            valences[i] = valence(words, lower, i, capsStandOut);
        }
        List<Item> items = items(tokens, valences, reratings);
        weighAroundBut(lower, items);
        return summarise(tokens.length, items, punctuationEmphasis(text));
    }

    /** The words that keep their valence and the reratings that carry one, in the order said; each moves the score. */
    private static List<Item> items(Token[] tokens, double[] valences, List<Rerating> reratings) {
        boolean[] setAside = new boolean[tokens.length];
        List<Item> items = new ArrayList<>();
        for (Rerating rerating : reratings) {
            int first = -1;
            for (int i = 0; i < tokens.length; i++) {
                if (tokens[i].start() < rerating.end() && tokens[i].end() > rerating.start()) {
                    setAside[i] = true;
                    first = first < 0 ? i : first;
                }
            }
            if (first >= 0 && rerating.valence() != 0) {
                items.add(new Item(first, rerating.text(), rerating.valence()));
            }
        }
        for (int i = 0; i < tokens.length; i++) {
            if (!setAside[i] && valences[i] != 0) {
                items.add(new Item(i, tokens[i].word(), valences[i]));
            }
        }
        // Stable: a rerating and a word at the same index keep the rerating first.
        items.sort(Comparator.comparingInt(Item::index));
        return items;
    }

    private double valence(String[] words, String[] lower, int i, boolean capsStandOut) {
        String word = lower[i];
        // Degree words modify their neighbour and carry no valence of their own, even those in the lexicon.
        if (isDegreeWord(word) || (word.equals("kind") && i + 1 < lower.length && lower[i + 1].equals("of"))) {
            return 0;
        }
        Double rating = lexicon.get(word);
        if (rating == null) {
            return 0;
        }
        double valence = rating;
        // "no" before a rated word negates that word rather than counting as a negative word itself.
        if (word.equals("no") && i + 1 < lower.length && lexicon.containsKey(lower[i + 1])) {
            valence = 0;
        }
        if (followsNo(lower, i)) {
            valence = rating * NEGATION_SCALAR;
        }
        if (capsStandOut && isAllCaps(words[i])) {
            valence += valence > 0 ? CAPS_EMPHASIS : -CAPS_EMPHASIS;
        }
        for (int distance = 1; distance <= NEIGHBOURHOOD && distance <= i; distance++) {
            int j = i - distance;
            // A rated neighbour is a sentiment of its own, not a modifier of this one.
            if (lexicon.containsKey(lower[j])) {
                continue;
            }
            valence += degreeShift(words[j], lower[j], valence, capsStandOut)
                    * DEGREE_WEIGHT_BY_DISTANCE[distance - 1];
            valence = negationFrom(lower, j, i, valence);
        }
        valence = idioms(lower, i, valence);
        return afterLeast(lower, i, valence);
    }

    private static boolean isDegreeWord(String lowerWord) {
        return BOOSTERS.contains(lowerWord) || DAMPENERS.contains(lowerWord);
    }

    /** "no" one or two words before, or three with "or"/"nor" between ("no love or hope"), negates the word. */
    private static boolean followsNo(String[] lower, int i) {
        return (i > 0 && lower[i - 1].equals("no"))
                || (i > 1 && lower[i - 2].equals("no"))
                || (i > 2 && lower[i - 3].equals("no") && (lower[i - 1].equals("or") || lower[i - 1].equals("nor")));
    }

    /** A booster moves the valence away from zero, a dampener towards it; either in capitals moves it further. */
    private static double degreeShift(String word, String lowerWord, double valence, boolean capsStandOut) {
        double shift;
        if (BOOSTERS.contains(lowerWord)) {
            shift = DEGREE_STEP;
        } else if (DAMPENERS.contains(lowerWord)) {
            shift = -DEGREE_STEP;
        } else {
            return 0;
        }
        if (valence < 0) {
            shift = -shift;
        }
        if (capsStandOut && isAllCaps(word)) {
            shift += valence > 0 ? CAPS_EMPHASIS : -CAPS_EMPHASIS;
        }
        return shift;
    }

    /** Applies what the word at {@code j}, up to three tokens before the rated word at {@code i}, does to it. */
    private static double negationFrom(String[] lower, int j, int i, double valence) {
        if (lower[j].equals("never") && anyBetween(lower, j, i, SO_OR_THIS)) {
            return valence * NEVER_SO_EMPHASIS;
        }
        if (lower[j].equals("without") && anyBetween(lower, j, i, DOUBT)) {
            return valence;
        }
        return Negation.isNegator(lower[j]) ? valence * NEGATION_SCALAR : valence;
    }

    private static boolean anyBetween(String[] lower, int from, int to, Set<String> words) {
        for (int k = from + 1; k < to; k++) {
            if (words.contains(lower[k])) {
                return true;
            }
        }
        return false;
    }

    private static double idioms(String[] lower, int i, double valence) {
        String[] around = {
            phrase(lower, i - 1, i), phrase(lower, i - 2, i), phrase(lower, i - 2, i - 1),
            phrase(lower, i - 3, i - 1), phrase(lower, i - 3, i - 2)};
        for (String phrase : around) {
            Double idiom = IDIOMS.get(phrase);
            if (idiom != null) {
                valence = idiom;
                break;
            }
        }
        for (String phrase : new String[] {phrase(lower, i, i + 1), phrase(lower, i, i + 2)}) {
            Double idiom = IDIOMS.get(phrase);
            if (idiom != null) {
                valence = idiom;
            }
        }
        for (String phrase : new String[] {phrase(lower, i - 3, i - 1), phrase(lower, i - 3, i - 2),
                                           phrase(lower, i - 2, i - 1)}) {
            if (PHRASE_DAMPENERS.contains(phrase)) {
                valence += valence < 0 ? DEGREE_STEP : -DEGREE_STEP;
            }
        }
        return valence;
    }

    /** The tokens {@code from} to {@code to} inclusive, space-separated; "" when the span leaves the sentence. */
    private static String phrase(String[] lower, int from, int to) {
        if (from < 0 || to >= lower.length) {
            return "";
        }
        return String.join(" ", Arrays.asList(lower).subList(from, to + 1));
    }

    /** "least" negates the next word ("the least helpful"), but not in "at least" or "very least". */
    private static double afterLeast(String[] lower, int i, double valence) {
        if (i > 0 && lower[i - 1].equals("least")
                && !(i > 1 && (lower[i - 2].equals("at") || lower[i - 2].equals("very")))) {
            return valence * NEGATION_SCALAR;
        }
        return valence;
    }

    /** What follows the first "but" outweighs what precedes it: "The plot was good, but the acting was bad." */
    private static void weighAroundBut(String[] lower, List<Item> items) {
        int but = Arrays.asList(lower).indexOf("but");
        if (but < 0) {
            return;
        }
        items.replaceAll(item -> item.index() < but ? new Item(item.index(), item.text(), item.valence() * BEFORE_BUT)
                : item.index() > but ? new Item(item.index(), item.text(), item.valence() * AFTER_BUT) : item);
    }

    /** Up to four exclamation marks, or two or more question marks, strengthen whatever the text says. */
    private static double punctuationEmphasis(String text) {
        int exclamations = 0;
        int questions = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '!') {
                exclamations++;
            } else if (c == '?') {
                questions++;
            }
        }
        double emphasis = Math.min(exclamations, MAX_EXCLAMATIONS) * EXCLAMATION_EMPHASIS;
        if (questions > MAX_QUESTIONS) {
            emphasis += MANY_QUESTIONS_EMPHASIS;
        } else if (questions > 1) {
            emphasis += questions * QUESTION_EMPHASIS;
        }
        return emphasis;
    }

    /** @param words the number of words in the text; those at which no item stands count as neutral */
    private static ValenceScore summarise(int words, List<Item> items, double emphasis) {
        double sum = 0;
        // Each rated word weighs its valence plus one against each unrated word's one, so the shares compare
        // sentiment with the bulk of neutral words around it.
        double positiveWeight = 0;
        double negativeWeight = 0;
        for (Item item : items) {
            double valence = item.valence();
            sum += valence;
            if (valence > 0) {
                positiveWeight += valence + 1;
            } else {
                negativeWeight += -valence + 1;
            }
        }
        long neutralWords = words - items.stream().mapToInt(Item::index).distinct().count();
        sum += Math.signum(sum) * emphasis;
        if (positiveWeight > negativeWeight) {
            positiveWeight += emphasis;
        } else if (positiveWeight < negativeWeight) {
            negativeWeight += emphasis;
        }
        double total = positiveWeight + negativeWeight + neutralWords;
        double compound = sum / Math.sqrt(sum * sum + NORMALISATION_ALPHA);
        return new ValenceScore(compound, positiveWeight / total, negativeWeight / total, neutralWords / total,
                drivers(items));
    }

    private static List<String> drivers(List<Item> items) {
        List<Item> rated = new ArrayList<>(items);
        // Stable, so equally strong words keep the order they were said in.
        rated.sort(Comparator.comparingDouble(item -> -Math.abs(item.valence())));
        List<String> drivers = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (Item item : rated) {
            if (drivers.size() < MAX_DRIVERS && named.add(item.text().toLowerCase(Locale.ROOT))) {
                drivers.add((item.valence() > 0 ? "+" : "-") + item.text());
            }
        }
        return drivers;
    }

    /**
     * The text split on white space, each token stripped of leading and trailing punctuation unless that would
     * leave two characters or fewer, which keeps emoticons such as ":)" and ":-(" whole, as the reference does.
     */
    private static Token[] tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int k = 0;
        while (k < text.length()) {
            while (k < text.length() && isSpace(text.charAt(k))) {
                k++;
            }
            int start = k;
            while (k < text.length() && !isSpace(text.charAt(k))) {
                k++;
            }
            if (k > start) {
                tokens.add(stripPunctuation(text, start, k));
            }
        }
        return tokens.toArray(Token[]::new);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static Token stripPunctuation(String text, int from, int to) {
        int start = from;
        int end = to;
        while (start < end && ASCII_PUNCTUATION.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && ASCII_PUNCTUATION.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.codePointCount(start, end) <= 2 ? new Token(text.substring(from, to), from, to)
                : new Token(text.substring(start, end), start, end);
    }

    /** Python's {@code str.isupper()}, which the reference uses: at least one cased letter, and none lower-case. */
    private static boolean isAllCaps(String word) {
        boolean cased = false;
        for (int k = 0; k < word.length(); ) {
            int c = word.codePointAt(k);
            if (Character.isLowerCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= Character.isUpperCase(c);
            k += Character.charCount(c);
        }
        return cased;
    }
}
