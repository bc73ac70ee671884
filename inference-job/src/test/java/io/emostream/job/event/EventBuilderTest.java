package io.emostream.job.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.phrases.PhraseMatch;
import io.emostream.job.phrases.Severity;
import io.emostream.job.rationale.Rationale;
import io.emostream.job.segment.Utterance;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.PhraseHit;
import io.emostream.schema.TranscriptStatus;
import io.emostream.schema.WordsVoiceMismatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whoever wrote a rationale, the event says which of its claims the measured cues contradict. */
class EventBuilderTest {
    private static final List<CueReading> LOW_PITCH = List.of(
            new CueReading(AcousticCues.PITCH_MEAN_HZ, 150.0, "Hz", -1.6, 190.0),
            new CueReading(AcousticCues.LOUDNESS_DBFS, -18.0, "dBFS", 1.5, -24.0));

    private static Utterance utterance() {
        Utterance utterance = new Utterance();
        utterance.callId = "call-1";
        utterance.role = "CUSTOMER";
        utterance.source = "test:";
        utterance.samples = new float[16_000];
        utterance.endSample = 16_000;
        return utterance;
    }

    private static EmotionEvent event(String rationale) {
        return event(rationale, List.of());
    }

    private static EmotionEvent event(String rationale, List<PhraseMatch> phrases) {
        EmotionEstimate estimate = new EmotionEstimate("angry", Map.of("angry", 1.0), 0.6, -0.5, 1.0);
        return EventBuilder.build(utterance(), null, TranscriptStatus.ASR_OFF, LOW_PITCH, estimate,
                new Rationale(rationale, List.of()), null, "speechlm:test", null, 0, phrases);
    }

    @Test
    void aClaimTheCuesContradictIsRecordedAndAGroundedOneIsNot() {
        EmotionEvent contradicted = event("Raised pitch and loud → angry.");
        EmotionEvent grounded = event("Loud (+6 dB) → angry.");

        assertThat(contradicted.getRationaleContradictions()).singleElement()
                .satisfies(claim -> assertThat(claim).containsIgnoringCase("pitch"));
        assertThat(grounded.getRationaleContradictions()).isEmpty();
        assertThat(grounded.getUncertain()).isFalse();
        assertThat(grounded.getMismatch()).isNull();
    }

    @Test
    void theEventSaysWhenTheLabelIsUncertainAndWhenWordsAndVoiceDisagree() {
        Map<String, Double> scores = Map.of("angry", 0.45, "happy", 0.4, "neutral", 0.15);
        EmotionEstimate close = new EmotionEstimate("angry", scores, 0.8, -0.1, 0.45);
        WordsVoiceMismatch mismatch = new WordsVoiceMismatch("positive words ('great')", "loud", 0.62, 0.8);

        EmotionEvent event = EventBuilder.build(utterance(), "Great.", TranscriptStatus.PRESENT, LOW_PITCH, close,
                new Rationale("Loud (+6 dB) → uncertain (angry or happy).", List.of()), mismatch, "cue-estimator/1", null, 0, List.of());

        assertThat(event.getUncertain()).isTrue();
        assertThat(event.getLabel()).isEqualTo("angry");
        assertThat(event.getConfidence()).isEqualTo(0.45);
        assertThat(event.getMismatch()).isEqualTo(mismatch);
    }

    @Test
    void thePhraseRulesMatchesGoIntoTheEventInTheirOrderWithTheirSeverity() {
        EmotionEvent event = event("Loud (+6 dB) → angry.", List.of(
                new PhraseMatch("churn.cancel", "churn_risk", "want to cancel", Severity.WARNING, 2, 16),
                new PhraseMatch("gratitude", "gratitude", "thanks", null, 20, 26)));

        assertThat(event.getPhrases()).containsExactly(
                new PhraseHit("churn.cancel", "churn_risk", "want to cancel", "WARNING"),
                new PhraseHit("gratitude", "gratitude", "thanks", null));
        assertThat(event("Loud (+6 dB) → angry.").getPhrases()).isEmpty();
    }
}
