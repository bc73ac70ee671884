package io.emostream.job.speechlm;

import io.emostream.job.event.EventBuilder;
import io.emostream.job.rationale.GroundingCheck;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeechLmOutcome;
import io.emostream.schema.SpeechLmStatus;
import io.emostream.schema.TranscriptStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts the SpeechLM's answer into the local model's event. Answered: its label, rationale and (when it gave one)
 * transcript replace the local ones; the score distribution, arousal and valence stay the local model's, and
 * confidence becomes the local model's score for the SpeechLM's label, and the label is marked uncertain when the
 * local model was unsure or the two models disagree. The rationale's prosody claims are checked against the measured
 * cues like any other. Not answered: the event keeps the local result, marked with why.
 */
public final class CascadeMerge {
    private CascadeMerge() {
    }

    /**
     * @param reason     why the policy asked (see {@link AskPolicy})
     * @param speechLmId the SpeechLM's id (see {@link SpeechLmSettings#id})
     */
    public static EmotionEvent merge(EmotionEvent local, String reason, Outcome outcome, String speechLmId) {
        EmotionEvent.Builder merged = EmotionEvent.newBuilder(local)
                .setSpeechLm(new SpeechLmOutcome(outcome.status(), speechLmId, reason, local.getLabel(), outcome.attempts(),
                        outcome.latencyMs(), outcome.detail()));
        if (outcome.status() != SpeechLmStatus.ANSWERED) {
            return merged.build();
        }
        Answer answer = outcome.answer();
        Map<String, String> sources = new LinkedHashMap<>(local.getFieldSources());
        sources.put("label", speechLmId);
        sources.put("rationale", speechLmId);
        merged.setLabel(answer.label())
                .setConfidence(local.getScores().getOrDefault(answer.label(), 0.0))
                .setUncertain(local.getUncertain() || !answer.label().equals(local.getLabel()))
                .setModelId(speechLmId)
                .setRationale(answer.rationale())
                .setRationaleContradictions(GroundingCheck.check(answer.rationale(), EventBuilder.cueReadings(local)).contradictions());
        if (!answer.transcript().isEmpty()) {
            merged.setTranscript(answer.transcript()).setTranscriptStatus(TranscriptStatus.PRESENT);
            sources.put("transcript", speechLmId);
        }
        return merged.setFieldSources(sources).build();
    }
}
