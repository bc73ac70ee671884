package io.emostream.job.phrases;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the text of a phrase rule file (format in inference-job/README.md, "Words in context and phrase rules"):
 * {@code [category NAME]}, {@code [rule ID]} and {@code [neutral]} sections of {@code key = value} lines; lines
 * starting with {@code #} and blank lines are skipped. Everything wrong is reported as one sentence naming the
 * file, the line and the fault, the first fault only.
 */
final class RuleFile {

    private static final Pattern HEADER = Pattern.compile("\\[\\s*(\\S+)(?:\\s+(.*?))?\\s*]");
    private static final Pattern CATEGORY_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern KEY = Pattern.compile("[a-z]+");
    private static final double MAX_VALENCE = 4;

    private final String source;
    private final Map<String, CategoryDraft> categories = new LinkedHashMap<>();
    private final Map<String, RuleDraft> rules = new LinkedHashMap<>();
    private final List<Phrase> neutral = new ArrayList<>();
    /** The section the lines being read belong to; null before the first header. */
    private Section section;

    private RuleFile(String source) {
        this.source = source;
    }

    private sealed interface Section permits CategoryDraft, RuleDraft, NeutralSection {
    }

    private static final class CategoryDraft implements Section {
        final String name;
        final int line;
        Double valence;
        String meaning;

        CategoryDraft(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    private static final class RuleDraft implements Section {
        final String id;
        final int line;
        String category;
        int categoryLine;
        PhraseRule.Role role;
        final List<Phrase> phrases = new ArrayList<>();
        final List<Pattern> regexes = new ArrayList<>();
        Boolean negationCancels;
        Severity severity;

        RuleDraft(String id, int line) {
            this.id = id;
            this.line = line;
        }
    }

    /** The neutral section: there is one, however many times a file opens it. */
    private enum NeutralSection implements Section { NEUTRAL }

    /**
     * @param source how error messages name the file
     * @throws RuleFileException at the first fault
     */
    static PhraseRules parse(String source, List<String> lines) {
        RuleFile file = new RuleFile(source);
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                file.read(n, line);
            }
        }
        return file.finish();
    }

    private void read(int n, String line) {
        if (line.startsWith("[")) {
            open(n, line);
            return;
        }
        int equals = line.indexOf('=');
        String key = equals < 0 ? "" : line.substring(0, equals).strip();
        if (!KEY.matcher(key).matches()) {
            throw fault(n, "'" + line + "' is neither a [section] header nor 'key = value'");
        }
        String value = line.substring(equals + 1).strip();
        if (section == null) {
            throw fault(n, "'" + line + "' comes before any [category], [rule] or [neutral] section");
        }
        if (value.isEmpty()) {
            throw fault(n, "'" + key + "' has no value");
        }
        if (section instanceof CategoryDraft category) {
            set(n, category, key, value);
        } else if (section instanceof RuleDraft rule) {
            set(n, rule, key, value);
        } else if (key.equals("phrase")) {
            neutral.addAll(phrases(n, value));
        } else {
            throw fault(n, "[neutral] has no setting '" + key + "'; it takes phrase");
        }
    }

    private void open(int n, String line) {
        var header = HEADER.matcher(line);
        String kind = header.matches() ? header.group(1) : "";
        String name = header.matches() && header.group(2) != null ? header.group(2) : "";
        switch (kind) {
            case "category" -> {
                if (!CATEGORY_NAME.matcher(name).matches()) {
                    throw fault(n, "the category name '" + name + "' is not lower-case letters, digits and underscores");
                }
                CategoryDraft earlier = categories.get(name);
                if (earlier != null) {
                    throw fault(n, "category '" + name + "' is declared a second time (first on line " + earlier.line + ")");
                }
                CategoryDraft category = new CategoryDraft(name, n);
                categories.put(name, category);
                section = category;
            }
            case "rule" -> {
                if (!RULE_ID.matcher(name).matches()) {
                    throw fault(n, "the rule id '" + name + "' is not letters, digits, '.', '_' and '-'");
                }
                RuleDraft earlier = rules.get(name);
                if (earlier != null) {
                    throw fault(n, "rule '" + name + "' is defined a second time (first on line " + earlier.line + ")");
                }
                RuleDraft rule = new RuleDraft(name, n);
                rules.put(name, rule);
                section = rule;
            }
            case "neutral" -> {
                if (!name.isEmpty()) {
                    throw fault(n, "[neutral] takes no name");
                }
                section = NeutralSection.NEUTRAL;
            }
            default -> throw fault(n, "'" + line + "' is not a section; sections are [category NAME], [rule ID] and [neutral]");
        }
    }

    private void set(int n, CategoryDraft category, String key, String value) {
        String where = "[category " + category.name + "]";
        switch (key) {
            case "valence" -> {
                once(n, where, key, category.valence);
                try {
                    category.valence = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw fault(n, "valence '" + value + "' is not a number");
                }
                if (!(Math.abs(category.valence) <= MAX_VALENCE)) {
                    throw fault(n, "valence " + value + " is outside -4 to 4, VADER's word scale");
                }
            }
            case "meaning" -> {
                once(n, where, key, category.meaning);
                category.meaning = value;
            }
            default -> throw fault(n, where + " has no setting '" + key + "'; a category takes valence and meaning");
        }
    }

    private void set(int n, RuleDraft rule, String key, String value) {
        String where = "[rule " + rule.id + "]";
        switch (key) {
            case "category" -> {
                once(n, where, key, rule.category);
                rule.category = value;
                rule.categoryLine = n;
            }
            case "role" -> {
                once(n, where, key, rule.role);
                rule.role = choice(n, "role", value, PhraseRule.Role.class, "any, agent, customer, host or guest");
            }
            case "phrase" -> rule.phrases.addAll(phrases(n, value));
            case "regex" -> {
                try {
                    rule.regexes.add(Pattern.compile(value, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
                } catch (PatternSyntaxException e) {
                    throw fault(n, "the regex '" + value + "' does not compile: " + e.getDescription());
                }
            }
            case "negation" -> {
                once(n, where, key, rule.negationCancels);
                if (!value.equals("cancels") && !value.equals("ignored")) {
                    throw fault(n, "negation '" + value + "' is neither 'cancels' nor 'ignored'");
                }
                rule.negationCancels = value.equals("cancels");
            }
            case "severity" -> {
                once(n, where, key, rule.severity);
                rule.severity = choice(n, "severity", value, Severity.class, "INFO, WARNING or CRITICAL");
            }
            default -> throw fault(n, where + " has no setting '" + key
                    + "'; a rule takes category, role, phrase, regex, negation and severity");
        }
    }

    private void once(int n, String where, String key, Object earlier) {
        if (earlier != null) {
            throw fault(n, where + " sets '" + key + "' a second time");
        }
    }

    private <E extends Enum<E>> E choice(int n, String key, String value, Class<E> type, String choices) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw fault(n, key + " '" + value + "' is not " + choices);
        }
    }

    /** One phrase, or several separated by '|'. */
    private List<Phrase> phrases(int n, String value) {
        List<Phrase> phrases = new ArrayList<>();
        for (String alternative : value.split("\\|", -1)) {
            if (alternative.isBlank()) {
                throw fault(n, "the phrases '" + value + "' have an empty one between '|'");
            }
            try {
                phrases.add(Phrase.parse(alternative));
            } catch (IllegalArgumentException e) {
                throw fault(n, "the phrase '" + alternative.strip() + "' " + e.getMessage());
            }
        }
        return phrases;
    }

    private PhraseRules finish() {
        Map<String, Category> declared = new LinkedHashMap<>();
        for (CategoryDraft category : categories.values()) {
            if (category.valence == null) {
                throw fault(category.line, "[category " + category.name + "] has no valence; give 'valence = 0' if its"
                        + " phrases should not move the valence");
            }
            declared.put(category.name, new Category(category.name, category.valence,
                    category.meaning == null ? "" : category.meaning));
        }
        List<PhraseRule> built = new ArrayList<>();
        for (RuleDraft rule : rules.values()) {
            String where = "[rule " + rule.id + "]";
            if (rule.category == null) {
                throw fault(rule.line, where + " has no category");
            }
            if (!declared.containsKey(rule.category)) {
                throw fault(rule.categoryLine, "category '" + rule.category + "' is not declared; add a [category "
                        + rule.category + "] section with its valence");
            }
            if (rule.phrases.isEmpty() && rule.regexes.isEmpty()) {
                throw fault(rule.line, where + " has no phrase and no regex");
            }
            built.add(new PhraseRule(rule.id, rule.category, rule.role == null ? PhraseRule.Role.ANY : rule.role,
                    rule.phrases, rule.regexes, rule.negationCancels == null || rule.negationCancels, rule.severity));
        }
        return new PhraseRules(declared, built, neutral);
    }

    private RuleFileException fault(int line, String what) {
        return new RuleFileException("Phrase rule file " + source + ", line " + line + ": " + what + ".");
    }
}
