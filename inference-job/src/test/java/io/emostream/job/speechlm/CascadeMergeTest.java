package io.emostream.job.speechlm;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.event.EventBuilder;
import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.rationale.Rationale;
import io.emostream.job.segment.Utterance;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeechLmOutcome;
import io.emostream.schema.SpeechLmStatus;
import io.emostream.schema.TranscriptStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the SpeechLM's answer, or its absence, shows in the event. */
class CascadeMergeTest {
    private static final String LM = "speechlm:qwen@gpu-1:8000";

    @Test
    void anAnswerReplacesLabelRationaleAndTranscriptAndItsClaimsAreChecked() {
        EmotionEvent local = local();
        Outcome answered = Outcome.answered(new Answer("I want a refund now", "sad",
                "Raised pitch and loud: upset about the refund."), 1, 420);

        EmotionEvent merged = CascadeMerge.merge(local, AskPolicy.NON_NEUTRAL, answered, LM);

        assertThat(merged.getLabel()).isEqualTo("sad");
        assertThat(merged.getConfidence()).as("the local model's score for the SpeechLM's label").isEqualTo(0.3);
        assertThat(local.getUncertain()).isFalse();
        assertThat(merged.getUncertain()).as("the two models disagree").isTrue();
        assertThat(merged.getScores()).isEqualTo(local.getScores());
        assertThat(merged.getArousal()).isEqualTo(local.getArousal());
        assertThat(merged.getValence()).isEqualTo(local.getValence());
        assertThat(merged.getRationale()).isEqualTo("Raised pitch and loud: upset about the refund.");
        assertThat(merged.getRationaleContradictions()).as("pitch was measured below usual").singleElement()
                .satisfies(claim -> assertThat(claim).contains("pitch"));
        assertThat(merged.getTranscript()).isEqualTo("I want a refund now");
        assertThat(merged.getTranscriptStatus()).isEqualTo(TranscriptStatus.PRESENT);
        assertThat(merged.getModelId()).isEqualTo(LM);
        assertThat(merged.getFieldSources()).containsExactlyInAnyOrderEntriesOf(Map.of("label", LM, "scores", "cue-estimator/1",
                "arousal", "cue-estimator/1", "valence", "cue-estimator/1", "confidence", "cue-estimator/1",
                "rationale", LM, "transcript", LM));
        assertThat(merged.getSpeechLm()).isEqualTo(new SpeechLmOutcome(SpeechLmStatus.ANSWERED, LM, AskPolicy.NON_NEUTRAL,
                "angry", 1, 420L, null));
    }

    @Test
    void anAnswerWithoutATranscriptKeepsTheEventsOwn() {
        EmotionEvent merged = CascadeMerge.merge(local(), AskPolicy.ALL,
                Outcome.answered(new Answer("", "angry", "Loud."), 1, 30), LM);

        assertThat(merged.getTranscriptStatus()).isEqualTo(TranscriptStatus.ASR_OFF);
        assertThat(merged.getTranscript()).isNull();
        assertThat(merged.getFieldSources()).doesNotContainKey("transcript");
        assertThat(merged.getRationaleContradictions()).as("loud is grounded").isEmpty();
        assertThat(merged.getUncertain()).as("the SpeechLM agrees with a sure local model").isFalse();
    }

    @Test
    void aFallbackKeepsTheLocalResultAndSaysWhy() {
        EmotionEvent local = local();
        EmotionEvent merged = CascadeMerge.merge(local, AskPolicy.ALERTING,
                Outcome.fallback(SpeechLmStatus.TIMED_OUT, 1, 10_000, "no answer within 10000 ms"), LM);

        assertThat(merged).usingRecursiveComparison().ignoringFields("speechLm").isEqualTo(local);
        assertThat(merged.getSpeechLm()).isEqualTo(new SpeechLmOutcome(SpeechLmStatus.TIMED_OUT, LM, AskPolicy.ALERTING,
                "angry", 1, 10_000L, "no answer within 10000 ms"));
    }

    private static EmotionEvent local() {
        Utterance utterance = new Utterance();
        utterance.callId = "call-1";
        utterance.role = "CUSTOMER";
        utterance.source = "test:";
        utterance.samples = new float[16_000];
        utterance.endSample = 16_000;
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("neutral", 0.1);
        scores.put("angry", 0.6);
        scores.put("sad", 0.3);
        List<CueReading> cues = List.of(new CueReading(AcousticCues.PITCH_MEAN_HZ, 150.0, "Hz", -1.2, 180.0),
                new CueReading(AcousticCues.LOUDNESS_DBFS, -18.0, "dBFS", 1.5, -24.0));
        return EventBuilder.build(utterance, null, TranscriptStatus.ASR_OFF, cues,
                new EmotionEstimate("angry", scores, 0.6, -0.5, 0.6), new Rationale("Loud (+6 dB) → angry.", List.of()),
                null, "cue-estimator/1", null, 1_000, List.of());
    }
}
