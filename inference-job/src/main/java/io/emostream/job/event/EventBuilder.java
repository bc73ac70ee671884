package io.emostream.job.event;

import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.rationale.GroundingCheck;
import io.emostream.job.rationale.Rationale;
import io.emostream.job.rationale.RationaleWriter;
import io.emostream.job.segment.Utterance;
import io.emostream.schema.Cue;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.TranscriptStatus;
import io.emostream.schema.WordsVoiceMismatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Puts an utterance and what was concluded about it into the {@link EmotionEvent} the topic carries. */
public final class EventBuilder {
    private EventBuilder() {
    }

    /**
     * @param transcript null when there is none; {@code transcriptStatus} says why
     * @param mismatch where the words and the voice disagree, null when they do not
     * @param transcriptSource the recogniser that wrote the transcript, null when there is none
     * @param emitTimeMs when the event is handed to the sink
     */
    public static EmotionEvent build(Utterance utterance, String transcript, TranscriptStatus transcriptStatus,
                                     List<CueReading> cues, EmotionEstimate estimate, Rationale rationale,
                                     WordsVoiceMismatch mismatch, String modelId, String transcriptSource, long emitTimeMs) {
        return EmotionEvent.newBuilder()
                .setUtteranceId(utterance.id())
                .setCallId(utterance.callId)
                .setChannel(utterance.channel)
                .setRole(SpeakerRole.valueOf(utterance.role))
                .setSource(utterance.source)
                .setSpeaker(utterance.speaker)
                .setSeries(utterance.series)
                .setStartMs(utterance.startMs())
                .setEndMs(utterance.endMs())
                .setTranscript(transcript)
                .setTranscriptStatus(transcriptStatus)
                .setLabel(estimate.label())
                .setScores(estimate.scores())
                .setArousal(estimate.arousal())
                .setValence(estimate.valence())
                .setConfidence(estimate.confidence())
                .setUncertain(estimate.uncertain())
                .setMismatch(mismatch)
                .setRationale(rationale.text())
                // Whoever wrote the rationale (our writer, later a SpeechLM), its prosody claims are checked here.
                .setRationaleContradictions(GroundingCheck.check(rationale.text(), cues).contradictions())
                .setCues(cues.stream().map(c -> new Cue(c.name(), c.value(), c.unit(), c.zScore())).toList())
                .setModelId(modelId)
                .setFieldSources(fieldSources(modelId, transcript == null ? null : transcriptSource))
                .setBridgedGapMs((int) (utterance.bridgedSamples * 1000L / 16_000))
                .setLastChunkIngestTimeMs(utterance.lastIngestTimeMs)
                .setVadEndTimeMs(utterance.vadEndTimeMs)
                .setEmitTimeMs(emitTimeMs)
                .build();
    }

    /** An event's cues as the grounding check reads them (their usual values are not on the topic). */
    public static List<CueReading> cueReadings(EmotionEvent event) {
        return event.getCues().stream()
                .map(cue -> new CueReading(cue.getName(), cue.getValue(), cue.getUnit(), cue.getZScore(), null))
                .toList();
    }

    /** Who produced which field: the model the estimate, our writer the rationale, the recogniser the transcript. */
    static Map<String, String> fieldSources(String modelId, String transcriptSource) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String field : List.of("label", "scores", "arousal", "valence", "confidence")) {
            sources.put(field, modelId);
        }
        sources.put("rationale", RationaleWriter.ID);
        if (transcriptSource != null) {
            sources.put("transcript", transcriptSource);
        }
        return sources;
    }
}
