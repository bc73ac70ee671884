package io.emostream.sinks;

import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.TranscriptStatus;
import java.util.List;
import java.util.Map;

/** Emotion events as the job writes them, with only what the sinks read set to something meaningful. */
final class Events {
    private Events() {
    }

    /** An utterance of {@code role} from {@code startS} to {@code endS} seconds into the call. */
    static EmotionEvent utterance(String call, SpeakerRole role, double startS, double endS, String label,
                                  double arousal, double valence) {
        long startMs = Math.round(startS * 1000);
        int channel = role == SpeakerRole.AGENT ? 0 : 1;
        return EmotionEvent.newBuilder()
                .setUtteranceId(call + "/" + channel + "/" + startMs * 16)
                .setCallId(call).setChannel(channel).setRole(role).setSource("test:" + call)
                .setStartMs(startMs).setEndMs(Math.round(endS * 1000))
                .setTranscript("words of " + label).setTranscriptStatus(TranscriptStatus.PRESENT)
                .setLabel(label).setScores(Map.of(label, 1.0)).setArousal(arousal).setValence(valence).setConfidence(0.8)
                .setRationale("measured → " + label + ".").setCues(List.of()).setModelId("test")
                .setLastChunkIngestTimeMs(1_000 + startMs).setVadEndTimeMs(1_000 + startMs).setEmitTimeMs(1_000 + startMs)
                .build();
    }

    static EmotionEvent calm(String call, SpeakerRole role, double startS) {
        return utterance(call, role, startS, startS + 2, "neutral", 0.0, 0.1);
    }

    static EmotionEvent angry(String call, SpeakerRole role, double startS) {
        return utterance(call, role, startS, startS + 2, "angry", 0.7, -0.5);
    }
}
