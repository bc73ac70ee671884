package io.emostream.job.phrases;

import io.emostream.job.phrases.Words.Word;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of phrase rules, their categories and the words that are neutral in their domain, as one rule file gives
 * them: the bundled contact-centre pack ({@value #BUNDLED_RESOURCE} beside this class) or the user's
 * {@code --rules FILE}, which replaces it whole. Plain Java and immutable: one instance serves every thread.
 *
 * <p>Matching: each rule is tried where the speaker's role admits it. For rules whose negation cancels, a negator
 * takes back a match ({@link NegationScope}) and every match of the same rule overlapping it: in "I don't want to
 * cancel my account", "cancel my account" goes with "want to cancel". Where two matches share a word, the longer one
 * wins (then the earlier, then the rule listed first), so "thanks for nothing" is a complaint and not also thanks; a
 * match taken back still holds its words, and counts for nothing. The words a {@code *} stood for are not shared,
 * so "not fucking happy" is a complaint and profanity. Each rule counts once per utterance, at the first of its
 * matches left standing in that order (its longest).
 */
public final class PhraseRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The contact-centre pack, on the classpath beside this class. */
    public static final String BUNDLED_RESOURCE = "contact-centre.rules";

    /**
     * Words whose lexicon valence does not hold in the rules' domain ("credit", "please"), found in a transcript.
     *
     * @param start the index of the first character
     * @param end   the index after the last
     */
    public record Stretch(int start, int end) {
    }

    private final Map<String, Category> categories;
    private final List<PhraseRule> rules;
    private final List<Phrase> neutral;
    private final PhraseIndex rulePhrases;
    private final PhraseIndex neutralPhrases;

    PhraseRules(Map<String, Category> categories, List<PhraseRule> rules, List<Phrase> neutral) {
        this.categories = Collections.unmodifiableMap(new LinkedHashMap<>(categories));
        this.rules = List.copyOf(rules);
        this.neutral = List.copyOf(neutral);
        List<PhraseIndex.Entry> entries = new ArrayList<>();
        for (int r = 0; r < this.rules.size(); r++) {
            for (Phrase phrase : this.rules.get(r).phrases()) {
                entries.add(new PhraseIndex.Entry(r, phrase));
            }
        }
        this.rulePhrases = new PhraseIndex(entries);
        this.neutralPhrases = new PhraseIndex(this.neutral.stream().map(phrase -> new PhraseIndex.Entry(0, phrase)).toList());
    }

    // Parsed on first use, once per JVM.
    private static final class Bundled {
        static final PhraseRules PACK = read();

        private static PhraseRules read() {
            InputStream in = PhraseRules.class.getResourceAsStream(BUNDLED_RESOURCE);
            if (in == null) {
                throw new IllegalStateException("The classpath resource io/emostream/job/phrases/" + BUNDLED_RESOURCE
                        + " is missing: the inference-job jar was built without it.");
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return RuleFile.parse("io/emostream/job/phrases/" + BUNDLED_RESOURCE, reader.lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the classpath resource " + BUNDLED_RESOURCE + ".", e);
            }
        }
    }

    /** The bundled contact-centre pack. */
    public static PhraseRules bundled() {
        return Bundled.PACK;
    }

    /**
     * The rules of a file.
     *
     * @throws RuleFileException when it cannot be read or has a fault, naming the file and the line
     */
    public static PhraseRules load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RuleFileException("Phrase rule file " + file + " cannot be read: there is no such file.", e);
        } catch (AccessDeniedException e) {
            throw new RuleFileException("Phrase rule file " + file + " cannot be read: permission denied.", e);
        } catch (CharacterCodingException e) {
            throw new RuleFileException("Phrase rule file " + file + " cannot be read: it is not UTF-8 text.", e);
        } catch (IOException e) {
            throw new RuleFileException("Phrase rule file " + file + " cannot be read: " + e.getMessage() + ".", e);
        }
        return RuleFile.parse(file.toString(), lines);
    }

    /** The rules of the file, or the bundled pack when {@code file} is null (as in {@code AnalysisSettings}). */
    public static PhraseRules fileOrBundled(String file) {
        return file == null ? bundled() : load(Path.of(file));
    }

    /**
     * Rules from lines of text in the rule file format.
     *
     * @param source how error messages name the text
     */
    public static PhraseRules parse(String source, List<String> lines) {
        return RuleFile.parse(source, lines);
    }

    /** The declared categories, in file order. */
    public List<Category> categories() {
        return List.copyOf(categories.values());
    }

    /** The category of this name, or null if the file declares none. */
    public Category category(String name) {
        return categories.get(name);
    }

    /** The rules, in file order. */
    public List<PhraseRule> rules() {
        return rules;
    }

    /** The neutral phrases, in file order. */
    public List<Phrase> neutral() {
        return neutral;
    }

    private record Candidate(int rule, int firstWord, int words, List<Integer> literal, int start, int end,
                             boolean negated) {

        Candidate negate() {
            return new Candidate(rule, firstWord, words, literal, start, end, true);
        }

        boolean overlaps(Candidate other) {
            return firstWord < other.firstWord + other.words && other.firstWord < firstWord + words;
        }
    }

    /**
     * What the rules find in the words of one speaker.
     *
     * @param role the speaker's role as the events name it (CUSTOMER, AGENT, UNKNOWN...), or null
     * @return the matches left standing, in transcript order
     */
    public List<PhraseMatch> match(String transcript, String role) {
        if (transcript == null || transcript.isBlank()) {
            return List.of();
        }
        List<Word> words = Words.of(transcript);
        String text = transcript.replace('\u2019', '\'');
        List<List<Candidate>> byRule = new ArrayList<>();
        rules.forEach(rule -> byRule.add(new ArrayList<>()));
        for (int i = 0; i < words.size(); i++) {
            for (PhraseIndex.Found found : rulePhrases.at(words, i)) {
                Phrase.Span span = found.span();
                byRule.get(found.owner()).add(new Candidate(found.owner(), span.start(), span.end() - span.start(),
                        span.literal(), words.get(span.start()).start(), words.get(span.end() - 1).end(), false));
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            PhraseRule rule = rules.get(r);
            if (rule.role().admits(role)) {
                List<Candidate> found = byRule.get(r);
                found.addAll(regexCandidates(r, rule, words, text));
                if (rule.negationCancels()) {
                    negate(found, words);
                }
                candidates.addAll(found);
            }
        }
        candidates.sort(Comparator.comparingInt((Candidate c) -> -c.words())
                .thenComparingInt(Candidate::firstWord).thenComparingInt(Candidate::rule));
        Set<Integer> taken = new HashSet<>();
        Set<Integer> counted = new HashSet<>();
        List<Candidate> standing = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (candidate.literal().stream().noneMatch(taken::contains)) {
                taken.addAll(candidate.literal());
                if (!candidate.negated() && counted.add(candidate.rule())) {
                    standing.add(candidate);
                }
            }
        }
        standing.sort(Comparator.comparingInt(Candidate::start).thenComparingInt(Candidate::rule));
        return standing.stream().map(c -> {
            PhraseRule rule = rules.get(c.rule());
            return new PhraseMatch(rule.id(), rule.category(), transcript.substring(c.start(), c.end()), rule.severity(),
                    c.start(), c.end());
        }).toList();
    }

    private static List<Candidate> regexCandidates(int r, PhraseRule rule, List<Word> words, String text) {
        List<Candidate> found = new ArrayList<>();
        for (Pattern regex : rule.regexes()) {
            Matcher m = regex.matcher(text);
            while (m.find()) {
                List<Integer> covered = new ArrayList<>();
                for (int i = 0; i < words.size(); i++) {
                    if (words.get(i).start() < m.end() && words.get(i).end() > m.start()) {
                        covered.add(i);
                    }
                }
                if (!covered.isEmpty()) {
                    found.add(new Candidate(r, covered.get(0), covered.size(), covered, m.start(), m.end(), false));
                }
            }
        }
        return found;
    }

    /** Marks the matches of one rule that a negator takes back, and those overlapping them, however they chain. */
    private static void negate(List<Candidate> found, List<Word> words) {
        found.replaceAll(c -> NegationScope.negates(words, c.firstWord()) ? c.negate() : c);
        boolean spread = true;
        while (spread) {
            spread = false;
            for (int i = 0; i < found.size(); i++) {
                Candidate c = found.get(i);
                if (!c.negated() && found.stream().anyMatch(other -> other.negated() && other.overlaps(c))) {
                    found.set(i, c.negate());
                    spread = true;
                }
            }
        }
    }

    /** Where the transcript says the neutral phrases, each occurrence, word by word (not the words a '*' stood for). */
    public List<Stretch> neutralStretches(String transcript) {
        if (transcript == null || transcript.isBlank()) {
            return List.of();
        }
        List<Word> words = Words.of(transcript);
        List<Stretch> stretches = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            for (PhraseIndex.Found found : neutralPhrases.at(words, i)) {
                found.span().literal().forEach(w -> stretches.add(new Stretch(words.get(w).start(), words.get(w).end())));
            }
        }
        return stretches;
    }
}
