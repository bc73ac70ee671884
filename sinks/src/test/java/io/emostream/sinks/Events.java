package io.emostream.sinks;

import io.emostream.schema.Cue;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.PhraseHit;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.TranscriptStatus;
import io.emostream.schema.WordsVoiceMismatch;
import java.util.List;
import java.util.Map;

/** Emotion events as the job writes them, with only what the sinks read set to something meaningful. */
public final class Events {
    private Events() {
    }

    /** An utterance of {@code role} from {@code startS} to {@code endS} seconds into the call. */
    public static EmotionEvent utterance(String call, SpeakerRole role, double startS, double endS, String label,
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

    public static EmotionEvent calm(String call, SpeakerRole role, double startS) {
        return utterance(call, role, startS, startS + 2, "neutral", 0.0, 0.1);
    }

    public static EmotionEvent angry(String call, SpeakerRole role, double startS) {
        return utterance(call, role, startS, startS + 2, "angry", 0.7, -0.5);
    }

    /** The event with phrase rule hits: each {rule, category, text, severity or null}. */
    public static EmotionEvent saying(EmotionEvent event, String... ruleCategoryTextSeverity) {
        List<PhraseHit> hits = new java.util.ArrayList<>();
        for (int i = 0; i < ruleCategoryTextSeverity.length; i += 4) {
            hits.add(PhraseHit.newBuilder().setRule(ruleCategoryTextSeverity[i]).setCategory(ruleCategoryTextSeverity[i + 1])
                    .setText(ruleCategoryTextSeverity[i + 2]).setSeverity(ruleCategoryTextSeverity[i + 3]).build());
        }
        return EmotionEvent.newBuilder(event).setPhrases(hits).build();
    }

    /** The event as the job writes it when a policy withholds its role's emotion. */
    public static EmotionEvent withheld(EmotionEvent event) {
        return EmotionEvent.newBuilder(event).setLabel(null).setScores(Map.of()).setArousal(null).setValence(null)
                .setConfidence(null).setRationale("Speech measured; emotion not analysed.")
                .setEmotionWithheld("no-emotion-for " + event.getRole()).build();
    }

    /** The event without a transcript (speech recognition off): its valence is 0, not measured. */
    public static EmotionEvent withoutWords(EmotionEvent event) {
        return EmotionEvent.newBuilder(event).setTranscript(null).setTranscriptStatus(TranscriptStatus.ASR_OFF).build();
    }

    /** The event unsure between its label and {@code other}, at 0.45 and 0.40. */
    public static EmotionEvent unsure(EmotionEvent event, String other) {
        return EmotionEvent.newBuilder(event).setUncertain(true)
                .setScores(Map.of(event.getLabel(), 0.45, other, 0.40, "neutral", 0.15)).build();
    }

    public static EmotionEvent mismatched(EmotionEvent event, String words, String voice) {
        return EmotionEvent.newBuilder(event).setMismatch(WordsVoiceMismatch.newBuilder().setWords(words).setVoice(voice)
                .setWordsValence(0.6).setVoiceArousal(event.getArousal() == null ? 0 : event.getArousal()).build()).build();
    }

    public static EmotionEvent speakingAt(EmotionEvent event, double syllablesPerSecond) {
        return EmotionEvent.newBuilder(event).setCues(List.of(Cue.newBuilder().setName("speaking_rate_syl_per_s")
                .setValue(syllablesPerSecond).setUnit("syllables/s").build())).build();
    }
}
