package io.emostream.job.speechlm;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.schema.EmotionEvent;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which utterances the cascade puts to the SpeechLM, and why. */
class AskPolicyTest {
    private final AskPolicy cascade = new AskPolicy(false, true, 0.5, true, 0);

    @Test
    void theFirstRuleThatMatchesIsTheReason() {
        assertThat(cascade.reason("u", "angry", 0.9, 0.6, -0.5)).isEqualTo(AskPolicy.ALERTING);
        assertThat(cascade.reason("u", "happy", 0.9, 0.6, 0.5)).as("aroused but pleasant").isEqualTo(AskPolicy.NON_NEUTRAL);
        assertThat(cascade.reason("u", "neutral", 0.49, 0.0, 0.0)).isEqualTo(AskPolicy.LOW_CONFIDENCE);
        assertThat(cascade.reason("u", "neutral", 0.5, 0.0, 0.0)).as("confident and calm").isNull();
        assertThat(cascade.reason("u", "neutral", 0.9, 0.3, 0.1)).as("on both alert thresholds").isEqualTo(AskPolicy.ALERTING);
        assertThat(cascade.reason("u", "neutral", 0.9, 0.29, 0.1)).isNull();
        assertThat(new AskPolicy(true, false, 0, false, 0).reason("u", "neutral", 1, 0, 0)).isEqualTo(AskPolicy.ALL);
    }

    @Test
    void anUtteranceWhoseEmotionIsWithheldIsNeverAskedAbout() {
        AskPolicy everything = new AskPolicy(true, false, 0, false, 0);
        EmotionEvent withheld = EmotionEvent.newBuilder().setUtteranceId("call-1/0/0").setCallId("call-1").setChannel(0)
                .setStartMs(0).setEndMs(1_000).setLabel(null).setScores(Map.of()).setArousal(null).setValence(null)
                .setConfidence(null).setRationale("No emotion analysed (policy no-emotion-for AGENT).").setModelId("emotion-policy/1")
                .setLastChunkIngestTimeMs(0).setVadEndTimeMs(0).setEmitTimeMs(0).setEmotionWithheld("no-emotion-for AGENT").build();
        EmotionEvent analysed = EmotionEvent.newBuilder(withheld).setLabel("neutral").setScores(Map.of("neutral", 1.0))
                .setArousal(0.0).setValence(0.0).setConfidence(1.0).setEmotionWithheld(null).build();

        assertThat(everything.reason(withheld)).isNull();
        assertThat(everything.reason(analysed)).isEqualTo(AskPolicy.ALL);
        assertThat(cascade.reason(EmotionEvent.newBuilder(analysed).setConfidence(0.2).build())).isEqualTo(AskPolicy.LOW_CONFIDENCE);
    }

    @Test
    void samplingPicksTheSameUtterancesEveryTimeAndAboutTheRate() {
        AskPolicy tenth = new AskPolicy(false, false, 0, false, 0.1);
        long picked = IntStream.range(0, 10_000).mapToObj(i -> "call-" + i + "/0/" + i * 16_000L)
                .filter(id -> AskPolicy.SAMPLED.equals(tenth.reason(id, "neutral", 1, 0, 0))).count();

        assertThat(picked).isBetween(900L, 1_100L);
        assertThat(AskPolicy.share("call-7/0/48000")).isEqualTo(AskPolicy.share("call-7/0/48000")).isBetween(0.0, 1.0);
        assertThat(tenth.reason("call-7/0/48000", "neutral", 1, 0, 0)).isEqualTo(tenth.reason("call-7/0/48000", "neutral", 1, 0, 0));
    }
}
