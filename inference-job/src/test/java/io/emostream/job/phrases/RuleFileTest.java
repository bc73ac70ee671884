package io.emostream.job.phrases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.job.EmotionJobMain;
import io.emostream.job.JobConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading rule files: what a good one gives, and the one sentence each fault gets. */
class RuleFileTest {

    private static final List<String> GOOD = List.of(
            "# a comment, then a blank line",
            "",
            "[category churn_risk]",
            "valence = -2.5",
            "meaning = The customer may leave.",
            "",
            "[rule churn.cancel]",
            "category = churn_risk",
            "role = Customer",
            "phrase = want to cancel | cancel* * account",
            "phrase = close my account",
            "regex = \\bswitch(ing)? provider\\b",
            "negation = cancels",
            "severity = warning",
            "",
            "[category swearing]",
            "valence = 0",
            "[rule swear]",
            "category = swearing",
            "negation = ignored",
            "phrase = damn",
            "[neutral]",
            "phrase = please | would like");

    @Test
    void aGoodFileGivesItsCategoriesRulesAndNeutralPhrases() {
        PhraseRules rules = PhraseRules.parse("good.rules", GOOD);

        assertThat(rules.categories()).containsExactly(new Category("churn_risk", -2.5, "The customer may leave."),
                new Category("swearing", 0, ""));
        assertThat(rules.rules()).hasSize(2);
        PhraseRule churn = rules.rules().get(0);
        assertThat(churn.id()).isEqualTo("churn.cancel");
        assertThat(churn.category()).isEqualTo("churn_risk");
        assertThat(churn.role()).isEqualTo(PhraseRule.Role.CUSTOMER);
        assertThat(churn.phrases()).extracting(Phrase::text).containsExactly("want to cancel", "cancel* * account", "close my account");
        assertThat(churn.regexes()).extracting(java.util.regex.Pattern::pattern).containsExactly("\\bswitch(ing)? provider\\b");
        assertThat(churn.negationCancels()).isTrue();
        assertThat(churn.severity()).isEqualTo(Severity.WARNING);
        PhraseRule swear = rules.rules().get(1);
        assertThat(swear.role()).isEqualTo(PhraseRule.Role.ANY);
        assertThat(swear.negationCancels()).isFalse();
        assertThat(swear.severity()).isNull();
        assertThat(rules.neutral()).extracting(Phrase::text).containsExactly("please", "would like");
    }

    @Test
    void aFileWithoutRulesIsAllowedAndMatchesNothing() {
        PhraseRules none = PhraseRules.parse("empty.rules", List.of("# phrase rules off"));

        assertThat(none.rules()).isEmpty();
        assertThat(none.match("I want to cancel my account", "CUSTOMER")).isEmpty();
    }

    /** The fault reported for the good file with one line replaced (line numbers count from 1). */
    private static String fault(int line, String replacement) {
        List<String> lines = new java.util.ArrayList<>(GOOD);
        lines.set(line - 1, replacement);
        try {
            PhraseRules.parse("my.rules", lines);
        } catch (RuleFileException e) {
            return e.getMessage();
        }
        throw new AssertionError("no fault reported");
    }

    private static String fault(List<String> lines) {
        try {
            PhraseRules.parse("my.rules", lines);
        } catch (RuleFileException e) {
            return e.getMessage();
        }
        throw new AssertionError("no fault reported");
    }

    @Test
    void eachFaultIsOneSentenceNamingTheFileTheLineAndWhatIsWrong() {
        assertThat(fault(9, "role = caller")).isEqualTo(
                "Phrase rule file my.rules, line 9: role 'caller' is not any, agent, customer, host or guest.");
        assertThat(fault(14, "severity = HIGH")).isEqualTo(
                "Phrase rule file my.rules, line 14: severity 'HIGH' is not INFO, WARNING or CRITICAL.");
        assertThat(fault(13, "negation = yes")).isEqualTo(
                "Phrase rule file my.rules, line 13: negation 'yes' is neither 'cancels' nor 'ignored'.");
        assertThat(fault(14, "severty = WARNING")).isEqualTo("Phrase rule file my.rules, line 14: [rule churn.cancel] has"
                + " no setting 'severty'; a rule takes category, role, phrase, regex, negation and severity.");
        assertThat(fault(12, "regex = (switch")).isEqualTo(
                "Phrase rule file my.rules, line 12: the regex '(switch' does not compile: Unclosed group.");
        assertThat(fault(11, "phrase = * my account")).isEqualTo("Phrase rule file my.rules, line 11: the phrase"
                + " '* my account' starts with '*' or has two in a row; '*' stands between words.");
        assertThat(fault(11, "phrase = close my *")).isEqualTo(
                "Phrase rule file my.rules, line 11: the phrase 'close my *' ends with '*'; '*' stands between words.");
        assertThat(fault(11, "phrase = clo*se")).isEqualTo("Phrase rule file my.rules, line 11: the phrase 'clo*se' has"
                + " 'clo*se'; a '*' ends a single word (cancel*) or stands alone between words.");
        assertThat(fault(11, "phrase = ca*")).isEqualTo("Phrase rule file my.rules, line 11: the phrase 'ca*' has the"
                + " stem 'ca*'; a stem needs at least 3 letters before its '*'.");
        assertThat(fault(11, "phrase = close || shut")).isEqualTo(
                "Phrase rule file my.rules, line 11: the phrases 'close || shut' have an empty one between '|'.");
        assertThat(fault(11, "phrase = ...")).isEqualTo("Phrase rule file my.rules, line 11: the phrase '...' has no words.");
        assertThat(fault(11, "phrase =")).isEqualTo("Phrase rule file my.rules, line 11: 'phrase' has no value.");
        assertThat(fault(11, "phrase: close")).isEqualTo(
                "Phrase rule file my.rules, line 11: 'phrase: close' is neither a [section] header nor 'key = value'.");
        assertThat(fault(4, "valence = very")).isEqualTo(
                "Phrase rule file my.rules, line 4: valence 'very' is not a number.");
        assertThat(fault(4, "valence = -5")).isEqualTo(
                "Phrase rule file my.rules, line 4: valence -5 is outside -4 to 4, VADER's word scale.");
        assertThat(fault(4, "colour = red")).isEqualTo("Phrase rule file my.rules, line 4: [category churn_risk] has no"
                + " setting 'colour'; a category takes valence and meaning.");
        assertThat(fault(9, "category = churn_risk")).isEqualTo(
                "Phrase rule file my.rules, line 9: [rule churn.cancel] sets 'category' a second time.");
        assertThat(fault(8, "category = churn")).isEqualTo("Phrase rule file my.rules, line 8: category 'churn' is not"
                + " declared; add a [category churn] section with its valence.");
        assertThat(fault(16, "[category churn_risk]")).isEqualTo(
                "Phrase rule file my.rules, line 16: category 'churn_risk' is declared a second time (first on line 3).");
        assertThat(fault(18, "[rule churn.cancel]")).isEqualTo(
                "Phrase rule file my.rules, line 18: rule 'churn.cancel' is defined a second time (first on line 7).");
        assertThat(fault(3, "[category Churn Risk]")).isEqualTo("Phrase rule file my.rules, line 3: the category name"
                + " 'Churn Risk' is not lower-case letters, digits and underscores.");
        assertThat(fault(7, "[rule churn cancel]")).isEqualTo("Phrase rule file my.rules, line 7: the rule id"
                + " 'churn cancel' is not letters, digits, '.', '_' and '-'.");
        assertThat(fault(22, "[neutral words]")).isEqualTo("Phrase rule file my.rules, line 22: [neutral] takes no name.");
        assertThat(fault(23, "word = please")).isEqualTo(
                "Phrase rule file my.rules, line 23: [neutral] has no setting 'word'; it takes phrase.");
        assertThat(fault(7, "[rules churn.cancel]")).isEqualTo("Phrase rule file my.rules, line 7: '[rules churn.cancel]'"
                + " is not a section; sections are [category NAME], [rule ID] and [neutral].");
        assertThat(fault(2, "valence = 1")).isEqualTo("Phrase rule file my.rules, line 2: 'valence = 1' comes before any"
                + " [category], [rule] or [neutral] section.");
    }

    @Test
    void incompleteSectionsAreNamedAtTheirHeader() {
        assertThat(fault(List.of("[category a]", "meaning = x"))).isEqualTo("Phrase rule file my.rules, line 1:"
                + " [category a] has no valence; give 'valence = 0' if its phrases should not move the valence.");
        assertThat(fault(List.of("[category a]", "valence = 1", "", "[rule r]", "phrase = hello"))).isEqualTo(
                "Phrase rule file my.rules, line 4: [rule r] has no category.");
        assertThat(fault(List.of("[category a]", "valence = 1", "[rule r]", "category = a", "role = agent"))).isEqualTo(
                "Phrase rule file my.rules, line 3: [rule r] has no phrase and no regex.");
    }

    @Test
    void aFileIsReadAsUtf8AndOneThatCannotBeReadIsNamed(@TempDir Path dir) throws Exception {
        Path good = Files.write(dir.resolve("good.rules"), GOOD, StandardCharsets.UTF_8);
        assertThat(PhraseRules.load(good).rules()).hasSize(2);

        Path missing = dir.resolve("missing.rules");
        assertThatThrownBy(() -> PhraseRules.load(missing)).isInstanceOf(RuleFileException.class)
                .hasMessage("Phrase rule file " + missing + " cannot be read: there is no such file.");
        Path latin1 = Files.write(dir.resolve("latin1.rules"), new byte[] {'#', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> PhraseRules.load(latin1))
                .hasMessage("Phrase rule file " + latin1 + " cannot be read: it is not UTF-8 text.");
        Path bad = Files.write(dir.resolve("bad.rules"), List.of("[rule x]", "category = none"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PhraseRules.load(bad)).hasMessage("Phrase rule file " + bad
                + ", line 2: category 'none' is not declared; add a [category none] section with its valence.");
    }

    @Test
    void theJobsArgumentsNameABadRuleFileBeforeTheJobIsBuilt(@TempDir Path dir) throws Exception {
        Path bad = Files.write(dir.resolve("bad.rules"), List.of("[rule x]", "category = none"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EmotionJobMain.parse(new String[] {"--bootstrap", "k:9092", "--rules", bad.toString()}))
                .isInstanceOf(RuleFileException.class).hasMessage("Phrase rule file " + bad
                        + ", line 2: category 'none' is not declared; add a [category none] section with its valence.");

        Path good = Files.write(dir.resolve("good.rules"), GOOD, StandardCharsets.UTF_8);
        JobConfig config = EmotionJobMain.parse(new String[] {"--bootstrap", "k:9092", "--rules", good.toString()});
        assertThat(config.analysis().rulesFile()).isEqualTo(good.toString());
    }

    @Test
    void theBundledPackDeclaresTheContactCentreCategoriesWithTheirValences() {
        PhraseRules pack = PhraseRules.bundled();

        assertThat(pack.categories()).extracting(Category::name, Category::valence).containsExactly(
                org.assertj.core.groups.Tuple.tuple("churn_risk", -2.5),
                org.assertj.core.groups.Tuple.tuple("complaint", -2.0),
                org.assertj.core.groups.Tuple.tuple("escalation_request", -1.5),
                org.assertj.core.groups.Tuple.tuple("legal_threat", -3.0),
                org.assertj.core.groups.Tuple.tuple("profanity", -1.5),
                org.assertj.core.groups.Tuple.tuple("gratitude", 2.0));
        assertThat(pack.categories()).allSatisfy(category -> assertThat(category.meaning()).isNotBlank());
        assertThat(pack.rules()).extracting(PhraseRule::id).containsExactly("churn.cancel", "churn.leave",
                "complaint.dissatisfied", "complaint.service-failure", "complaint.formal", "escalation.manager",
                "legal.threat", "profanity", "gratitude");
        assertThat(PhraseRules.fileOrBundled(null)).isSameAs(pack);
    }
}
