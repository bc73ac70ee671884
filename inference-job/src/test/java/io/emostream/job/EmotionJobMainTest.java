package io.emostream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/** The cluster entry point's arguments, as a Compose file or a FlinkDeployment passes them. */
class EmotionJobMainTest {

    @Test
    void argumentsBecomeTheJobsSettingsAndTheRestKeepTheirDefaults() {
        JobConfig config = EmotionJobMain.parse(new String[] {"--bootstrap", "kafka:19092", "--guarantee", "exactly-once",
                "--asr", "sphinx", "--checkpoint-interval-ms", "5000", "--events-topic", "ev", "--stream-ends-topic", "ends"});

        assertThat(config.bootstrapServers()).isEqualTo("kafka:19092");
        assertThat(config.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(config.asr().recognizer()).isEqualTo("sphinx");
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.eventsTopic()).isEqualTo("ev");
        assertThat(config.streamEndsTopic()).isEqualTo("ends");
        assertThat(config.audioTopic()).isEqualTo("audio.chunks");
        assertThat(config.deadLetterTopic()).isEqualTo("dead-letter");
        assertThat(config.bounded()).isFalse();
        assertThat(config.analysis().noEmotionFor()).isEmpty();
    }

    @Test
    void theRolesWithoutEmotionAreReadAsUsersWriteThem() {
        JobConfig config = EmotionJobMain.parse(new String[] {"--bootstrap", "k:9092", "--no-emotion-for", "agent, Guest"});

        assertThat(config.analysis().noEmotionFor()).containsExactly("AGENT", "GUEST");
    }

    @Test
    void aWrongArgumentGetsOneSentenceAndTheUsage() {
        assertThatThrownBy(() -> EmotionJobMain.parse(new String[] {"--bootstap", "k:9092"}))
                .hasMessage("Unknown argument '--bootstap'; " + EmotionJobMain.USAGE);
        assertThatThrownBy(() -> EmotionJobMain.parse(new String[] {"--asr", "none"}))
                .hasMessage("--bootstrap is required; " + EmotionJobMain.USAGE);
        assertThatThrownBy(() -> EmotionJobMain.parse(new String[] {"--bootstrap", "k:9092", "--guarantee", "maybe"}))
                .hasMessage("--guarantee is at-least-once or exactly-once, not 'maybe'");
        assertThatThrownBy(() -> EmotionJobMain.parse(new String[] {"--bootstrap", "k:9092", "--no-emotion-for", "agent,bogus"}))
                .hasMessage("--no-emotion-for: unknown speaker role 'bogus'; use one of agent, customer, host, guest, unknown");
        assertThatThrownBy(() -> EmotionJobMain.parse(new String[] {"--bootstrap"}))
                .hasMessage("--bootstrap needs a value; " + EmotionJobMain.USAGE);
        assertThatThrownBy(() -> EmotionJobMain.parse(new String[] {"--bootstrap", "k:9092", "--domain", "call-center"}))
                .hasMessage("--domain is contact-centre, podcast or msp-podcast, not 'call-center'");
    }

    @Test
    void theDomainIsNamedOrLeftToEachCallsSource() {
        assertThat(EmotionJobMain.parse(new String[] {"--bootstrap", "k:9092", "--domain", "MSP-Podcast"}).analysis().domain())
                .isEqualTo("msp-podcast");
        assertThat(EmotionJobMain.parse(new String[] {"--bootstrap", "k:9092"}).analysis().domain()).isNull();
    }
}
