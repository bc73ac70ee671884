package io.emostream.job.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.model.CueReading;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which roles may be analysed for emotion, and what a withheld event keeps. */
class EmotionPolicyTest {

    @Test
    void rolesAreReadAsUsersWriteThemAndAnUnknownOneIsNamedWithTheRolesThereAre() {
        EmotionPolicy policy = EmotionPolicy.withholdingFor(List.of(" Agent", "guest", "AGENT"));

        assertThat(policy.withheldRoles()).containsExactly("AGENT", "GUEST");
        assertThat(policy.mayAnalyse("AGENT")).isFalse();
        assertThat(policy.mayAnalyse("CUSTOMER")).isTrue();
        assertThat(policy.withheldBecause("GUEST")).isEqualTo("no-emotion-for GUEST");
        assertThat(policy.withheldBecause("HOST")).isNull();
        assertThat(EmotionPolicy.analyseAll().withheldRoles()).isEmpty();
        assertThat(EmotionPolicy.analyseAll().mayAnalyse("AGENT")).isTrue();

        assertThatThrownBy(() -> EmotionPolicy.withholdingFor(List.of("agent", " bogus ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown speaker role 'bogus'; use one of agent, customer, host, guest, unknown");
    }

    @Test
    void aWithheldEventKeepsOnlyHowFastAndHowHaltinglyOneSpokeWithoutABaseline() {
        List<CueReading> measured = List.of(
                new CueReading(AcousticCues.PITCH_MEAN_HZ, 182.0, "Hz", 1.2, 160.0),
                new CueReading(AcousticCues.LOUDNESS_DBFS, -21.0, "dBFS", 0.4, -22.0),
                new CueReading(AcousticCues.SPEAKING_RATE_SYL_PER_S, 4.24, "syl/s", -0.3, 4.5),
                new CueReading(AcousticCues.PAUSE_RATIO, 0.125, "ratio", 0.1, 0.1),
                new CueReading(AcousticCues.HNR_DB, 12.0, "dB", null, null));

        List<CueReading> kept = EmotionPolicy.conversationCues(measured);

        assertThat(kept).containsExactly(
                new CueReading(AcousticCues.SPEAKING_RATE_SYL_PER_S, 4.24, "syl/s", null, null),
                new CueReading(AcousticCues.PAUSE_RATIO, 0.125, "ratio", null, null));
        assertThat(EmotionPolicy.rationale("no-emotion-for AGENT", kept)).isEqualTo(
                "No emotion analysed (policy no-emotion-for AGENT). Speaking rate 4.2 syllables/s. Pauses 13% of the spoken time.");
        assertThat(EmotionPolicy.rationale("no-emotion-for AGENT", List.of(
                new CueReading(AcousticCues.SPEAKING_RATE_SYL_PER_S, Double.NaN, "syl/s", null, null))))
                .as("a rate that could not be measured is not stated").isEqualTo("No emotion analysed (policy no-emotion-for AGENT).");
    }
}
