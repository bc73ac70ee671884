package io.emostream.job.event;

import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.policy.EmotionPolicy;
import io.emostream.job.phrases.PhraseMatch;
import io.emostream.job.rationale.GroundingCheck;
import io.emostream.job.rationale.Rationale;
import io.emostream.job.rationale.RationaleWriter;
import io.emostream.job.segment.Utterance;
import io.emostream.schema.Cue;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.PhraseHit;
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
     * @param phrases the phrase rules the transcript matched, in transcript order
     */
    public static EmotionEvent build(Utterance utterance, String transcript, TranscriptStatus transcriptStatus,
                                     List<CueReading> cues, EmotionEstimate estimate, Rationale rationale,
                                     WordsVoiceMismatch mismatch, String modelId, String transcriptSource, long emitTimeMs,
                                     List<PhraseMatch> phrases) {
        return utteranceFields(utterance, transcript, transcriptStatus, emitTimeMs)
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
                .setPhrases(hits(phrases))
                .build();
    }

    /**
     * The event of an utterance whose emotion a policy withheld (see {@link EmotionPolicy}): no label, scores,
     * arousal, valence or confidence, and no model named for them; timing, transcript and conversation cues stay.
     *
     * @param withheldBecause the policy, e.g. "no-emotion-for AGENT"
     * @param cues            the conversation cues only ({@link EmotionPolicy#conversationCues})
     */
    public static EmotionEvent withheld(Utterance utterance, String transcript, TranscriptStatus transcriptStatus,
                                        List<CueReading> cues, String withheldBecause, String transcriptSource, long emitTimeMs,
                                        List<PhraseMatch> phrases) {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("rationale", EmotionPolicy.ID);
        if (transcript != null && transcriptSource != null) {
            sources.put("transcript", transcriptSource);
        }
        return utteranceFields(utterance, transcript, transcriptStatus, emitTimeMs)
                .setLabel(null)
                .setScores(Map.of())
                .setArousal(null)
                .setValence(null)
                .setConfidence(null)
                .setEmotionWithheld(withheldBecause)
                .setPhrases(hits(phrases))
                .setRationale(EmotionPolicy.rationale(withheldBecause, cues))
                .setCues(cues.stream().map(c -> new Cue(c.name(), c.value(), c.unit(), c.zScore())).toList())
                .setModelId(EmotionPolicy.ID)
                .setFieldSources(sources)
                .build();
    }

    /** What every event says of its utterance, whatever was concluded about it. */
    private static EmotionEvent.Builder utteranceFields(Utterance utterance, String transcript, TranscriptStatus transcriptStatus,
                                                        long emitTimeMs) {
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
                .setBridgedGapMs((int) (utterance.bridgedSamples * 1000L / 16_000))
                .setLastChunkIngestTimeMs(utterance.lastIngestTimeMs)
                .setVadEndTimeMs(utterance.vadEndTimeMs)
                .setEmitTimeMs(emitTimeMs);
    }

    private static List<PhraseHit> hits(List<PhraseMatch> phrases) {
        return phrases.stream().map(match -> new PhraseHit(match.rule(), match.category(), match.text(),
                        match.severity() == null ? null : match.severity().name())).toList();
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
