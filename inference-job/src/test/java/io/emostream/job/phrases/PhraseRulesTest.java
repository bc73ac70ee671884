package io.emostream.job.phrases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How rules match a transcript: phrases, wildcards, regexes, roles, negation, overlaps, order. */
class PhraseRulesTest {

    private static final PhraseRules RULES = PhraseRules.parse("test.rules", List.of(
            "[category churn_risk]", "valence = -2.5",
            "[category complaint]", "valence = -2", "meaning = Unhappy with the service.",
            "[category profanity]", "valence = -1.5",
            "[category gratitude]", "valence = 2",
            "[rule churn]", "category = churn_risk", "role = customer", "severity = WARNING",
            "phrase = want to cancel | cancel* * account",
            "regex = \\bswitch(ing)? to (another|a different) provider\\b",
            "[rule unhappy]", "category = complaint", "role = customer",
            "phrase = not * happy | thanks for nothing | not working",
            "[rule swearing]", "category = profanity", "negation = ignored", "severity = info",
            "phrase = fuck*",
            "[rule thanks]", "category = gratitude", "role = any",
            "phrase = thanks | thank you",
            "[neutral]", "phrase = please | would like"));

    private static List<String> found(String transcript, String role) {
        return RULES.match(transcript, role).stream().map(m -> m.rule() + ":" + m.text()).toList();
    }

    @Test
    void aMatchNamesItsRuleCategoryWordsSeverityAndPlace() {
        assertThat(RULES.match("Right, I want to cancel.", "CUSTOMER"))
                .containsExactly(new PhraseMatch("churn", "churn_risk", "want to cancel", Severity.WARNING, 9, 23));
        assertThat(RULES.match("thank you", "AGENT"))
                .containsExactly(new PhraseMatch("thanks", "gratitude", "thank you", null, 0, 9));
    }

    @Test
    void wordsMatchWholeCaseInsensitiveAndWithTheTypographicApostrophe() {
        assertThat(found("THANKS!", "CUSTOMER")).containsExactly("thanks:THANKS");
        assertThat(found("thanksgiving was fine", "CUSTOMER")).isEmpty();
        assertThat(found("It’s not working", "CUSTOMER")).containsExactly("unhappy:not working");
    }

    @Test
    void aStarStandsForUpToThreeWordsOfTheClauseAndAStemForTheWordsItBegins() {
        assertThat(found("I'm cancelling my account", "CUSTOMER")).containsExactly("churn:cancelling my account");
        assertThat(found("cancel account", "CUSTOMER")).containsExactly("churn:cancel account");
        assertThat(found("cancel the whole family account", "CUSTOMER")).containsExactly("churn:cancel the whole family account");
        assertThat(found("cancel the whole big family account", "CUSTOMER")).isEmpty();
        assertThat(found("cancel it, my account is fine", "CUSTOMER")).isEmpty();
    }

    @Test
    void aRegexIsSearchedCaseInsensitiveAndQuotesWhatItMatched() {
        assertThat(found("We're Switching to another provider next week", "CUSTOMER"))
                .containsExactly("churn:Switching to another provider");
    }

    @Test
    void aRuleReadsOnlyTheRoleItNames() {
        assertThat(found("So you want to cancel?", "AGENT")).isEmpty();
        assertThat(found("So you want to cancel?", "UNKNOWN")).isEmpty();
        assertThat(found("So you want to cancel?", null)).isEmpty();
        assertThat(found("So you want to cancel?", "customer")).containsExactly("churn:want to cancel");
        assertThat(found("thanks", "HOST")).containsExactly("thanks:thanks");
    }

    @Test
    void aNegatorUpToThreeWordsBeforeTakesAMatchBackWithinItsClause() {
        assertThat(found("I don't want to cancel", "CUSTOMER")).isEmpty();
        assertThat(found("I do not really want to cancel my account", "CUSTOMER")).isEmpty();
        assertThat(found("I never said that I want to cancel", "CUSTOMER")).containsExactly("churn:want to cancel");
        assertThat(found("No, I want to cancel", "CUSTOMER")).containsExactly("churn:want to cancel");
        assertThat(found("Im not gonna say thanks", "CUSTOMER")).isEmpty();
        assertThat(found("I dont want to cancel", "CUSTOMER")).isEmpty();
    }

    @Test
    void idiomsThatNegateNothingDoNotTakeAMatchBack() {
        assertThat(found("no thank you", "CUSTOMER")).containsExactly("thanks:thank you");
        assertThat(found("no thanks", "CUSTOMER")).containsExactly("thanks:thanks");
        assertThat(found("no problem, thanks", "CUSTOMER")).containsExactly("thanks:thanks");
        assertThat(found("not only thanks", "CUSTOMER")).containsExactly("thanks:thanks");
    }

    @Test
    void aRuleWhoseNegationIsIgnoredMatchesAfterANegator() {
        assertThat(found("not fucking again", "AGENT")).containsExactly("swearing:fucking");
    }

    @Test
    void aNegatorInsideAPhraseIsPartOfIt() {
        assertThat(found("It's still not working", "CUSTOMER")).containsExactly("unhappy:not working");
        assertThat(found("I'm not happy", "CUSTOMER")).containsExactly("unhappy:not happy");
    }

    @Test
    void theLongerOfTwoMatchesSharingAWordWinsButWordsUnderAStarAreNotShared() {
        assertThat(found("Thanks for nothing", "CUSTOMER")).containsExactly("unhappy:Thanks for nothing");
        assertThat(found("I'm not fucking happy", "CUSTOMER")).containsExactly("unhappy:not fucking happy", "swearing:fucking");
        assertThat(found("I want to cancel my account", "CUSTOMER")).containsExactly("churn:want to cancel");
    }

    @Test
    void eachRuleCountsOncePerUtteranceAndMatchesComeInTranscriptOrder() {
        assertThat(found("fucking hell, I want to cancel, thanks, fucking thanks", "CUSTOMER"))
                .containsExactly("swearing:fucking", "churn:want to cancel", "thanks:thanks");
    }

    @Test
    void neutralPhrasesAreFoundWordByWordWhereverTheyAre() {
        assertThat(RULES.neutralStretches("Please, I would like it, please"))
                .containsExactly(new PhraseRules.Stretch(0, 6), new PhraseRules.Stretch(10, 15),
                        new PhraseRules.Stretch(16, 20), new PhraseRules.Stretch(25, 31));
    }

    @Test
    void noTranscriptMatchesNothing() {
        assertThat(RULES.match(null, "CUSTOMER")).isEmpty();
        assertThat(RULES.match("  ", "CUSTOMER")).isEmpty();
        assertThat(RULES.neutralStretches(null)).isEmpty();
    }

    /** The job reads the rules where it is built and ships them to its task managers inside the operator. */
    @Test
    void rulesTravelAsJavaSerialisedObjects() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(PhraseRules.bundled());
        }
        PhraseRules copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (PhraseRules) in.readObject();
        }

        String transcript = "I haven't had any internet for days, I want to cancel, thanks for nothing";
        assertThat(copy.match(transcript, "CUSTOMER")).isEqualTo(PhraseRules.bundled().match(transcript, "CUSTOMER"))
                .hasSize(3);
    }
}
