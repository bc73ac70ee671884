package io.emostream.sinks.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Alert rules as a user writes them in a properties file. */
class AlertRulesTest {

    @Test
    void propertiesOverrideTheDefaultsTheyName() {
        Properties file = new Properties();
        file.setProperty("consecutive", "4");
        file.setProperty("silenceMs", " 30000 ");

        AlertRules rules = AlertRules.fromProperties(file);

        assertThat(rules).isEqualTo(AlertRules.defaults().withConsecutive(4).withSilenceMs(30_000));
        assertThat(AlertRules.fromProperties(new Properties())).isEqualTo(AlertRules.defaults());
    }

    @Test
    void anUnknownSettingOrABadValueIsNamed() {
        Properties typo = new Properties();
        typo.setProperty("silence", "1000");
        Properties word = new Properties();
        word.setProperty("highArousal", "high");
        Properties impossible = new Properties();
        impossible.setProperty("escalationReset", "0.9");

        assertThatThrownBy(() -> AlertRules.fromProperties(typo)).hasMessageStartingWith(
                "unknown alert rule setting 'silence'; the settings are negativeValence, highArousal, positiveValence,");
        assertThatThrownBy(() -> AlertRules.fromProperties(word)).hasMessage("alert rule setting highArousal must be a number, not 'high'");
        assertThatThrownBy(() -> AlertRules.fromProperties(impossible)).hasMessageContaining("must not exceed escalationThreshold");
    }

    @Test
    void theConversationAndPhraseRulesAreSettingsToo() {
        Properties file = new Properties();
        file.setProperty("overtalkInterruptions", "5");
        file.setProperty("overtalkWindowMs", "120000");
        file.setProperty("phraseCooldownMs", "0");
        file.setProperty("risingTurns", "3");

        AlertRules rules = AlertRules.fromProperties(file);

        assertThat(rules.overtalkInterruptions()).isEqualTo(5);
        assertThat(rules.overtalkWindowMs()).isEqualTo(120_000);
        assertThat(rules.phraseCooldownMs()).isZero();
        assertThat(rules.risingTurns()).isEqualTo(3);
        assertThat(AlertRules.defaults()).extracting(AlertRules::risingTurns, AlertRules::overtalkInterruptions,
                AlertRules::overtalkWindowMs, AlertRules::phraseCooldownMs).containsExactly(2, 3, 60_000L, 300_000L);
    }

    @Test
    void aFractionWhereAWholeNumberBelongsOrARuleThatCannotFireIsNamed() {
        Properties fraction = new Properties();
        fraction.setProperty("overtalkInterruptions", "2.5");
        Properties oneTurn = new Properties();
        oneTurn.setProperty("risingTurns", "1");

        assertThatThrownBy(() -> AlertRules.fromProperties(fraction))
                .hasMessage("alert rule setting overtalkInterruptions must be a whole number, not 2.5");
        assertThatThrownBy(() -> AlertRules.fromProperties(oneTurn)).hasMessageStartingWith("alert rules need risingTurns >= 2");
    }
}
