package io.emostream.schema;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** Fully populated sample records for the schema tests. */
final class Records {
    private Records() {
    }

    static AudioChunk audioChunk() {
        return AudioChunk.newBuilder()
                .setCallId("call-42")
                .setChannel(1)
                .setRole(SpeakerRole.CUSTOMER)
                .setSequence(7)
                .setFirstSample(5600)
                .setCaptureTimeMs(1_763_000_000_000L)
                .setIngestTimeMs(1_763_000_000_123L)
                .setSampleRate(8000)
                .setEncoding(AudioEncoding.MULAW)
                .setPayload(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x00, 0x7f, (byte) 0x80}))
                .setEndOfStream(false)
                .setSource("file:call-42.wav")
                .setChannels(2)
                .build();
    }

    static EmotionEvent emotionEvent() {
        return EmotionEvent.newBuilder()
                .setUtteranceId("call-42/1/5600")
                .setCallId("call-42")
                .setChannel(1)
                .setRole(SpeakerRole.CUSTOMER)
                .setSource("file:call-42.wav")
                .setStartMs(350)
                .setEndMs(2900)
                .setTranscript("I want this fixed now")
                .setTranscriptStatus(TranscriptStatus.PRESENT)
                .setLabel("angry")
                .setScores(Map.of("angry", 0.7, "neutral", 0.3))
                .setArousal(0.6)
                .setValence(-0.5)
                .setConfidence(0.7)
                .setRationale("Pitch 35% above this speaker's usual and loud (+6 dB) -> angry.")
                .setCues(List.of(new Cue("pitch_mean_hz", 231.0, "Hz", 1.9), new Cue("lexical_valence", -0.4, "", null)))
                .setModelId("cue-estimator/1")
                .setBridgedGapMs(0)
                .setLastChunkIngestTimeMs(1_763_000_003_000L)
                .setVadEndTimeMs(1_763_000_003_400L)
                .setEmitTimeMs(1_763_000_003_450L)
                .setUncertain(false)
                .setMismatch(new WordsVoiceMismatch("positive words ('great')", "loud and fast", 0.6, 0.7))
                .setPhrases(List.of(new PhraseHit("cancel-account", "churn_risk", "cancel my account", "WARNING")))
                .build();
    }

    static CallSummary callSummary() {
        return CallSummary.newBuilder()
                .setCallId("call-42")
                .setSource("file:call-42.wav")
                .setFirstEventTimeMs(1L)
                .setLastEventTimeMs(2L)
                .setUtterances(3)
                .setRoles(List.of(new RoleSummary(SpeakerRole.AGENT, 2, 4000L, 0.0, 0.5, 0.1, 0.2, "neutral", 0.6, 4.2, 3.9, false)))
                .setEscalationScore(0.4)
                .setEscalationTrend(0.1)
                .setLastUtteranceId("call-42/0/32000")
                .setEndedAtMs(4L)
                .setConversation(new ConversationDynamics(20_000L, 1_200L, 0.07, 3_000L, 0.15, 2_000L,
                        List.of(new Interruption(SpeakerRole.AGENT, SpeakerRole.CUSTOMER, 2)), 100))
                .build();
    }

    static StreamEnd streamEnd() {
        return StreamEnd.newBuilder()
                .setCallId("call-42")
                .setChannel(1)
                .setRole(SpeakerRole.CUSTOMER)
                .setSource("file:call-42.wav")
                .setSpeaker("pat")
                .setSeries("billing")
                .setChannels(2)
                .setReason(StreamEndReason.IDLE)
                .setEndMs(61_250L)
                .setEndTimeMs(1_763_000_061_300L)
                .build();
    }

    static GroupSummary groupSummary() {
        return GroupSummary.newBuilder()
                .setKind(GroupKind.AGENT)
                .setName("sam")
                .setWindowMinutes(15)
                .setWindowEndMs(1_763_000_900_000L)
                .setUtterances(12)
                .setCalls(3)
                .setTalkTimeMs(48_000L)
                .setNegativeShare(0.25)
                .setHighArousalShare(0.5)
                .setArousal(0.1)
                .setValence(-0.2)
                .build();
    }

    static Alert alert() {
        return Alert.newBuilder()
                .setAlertId("customer_escalation/call-42/call-42/1/5600")
                .setCallId("call-42")
                .setRule("customer_escalation")
                .setSeverity(Severity.CRITICAL)
                .setRole(SpeakerRole.CUSTOMER)
                .setRaisedAtMs(3L)
                .setMessage("The customer on call-42 is escalating.")
                .setEvidence(List.of(new Evidence("call-42/1/5600", "angry", 0.6, -0.5, "loud", "fixed now", List.of("churn_risk"))))
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setReason("The record is not an emostream AudioChunk.")
                .setStage("inference-job/decode")
                .setSourceTopic("audio.chunks")
                .setSourcePartition(3)
                .setSourceOffset(1234L)
                .setOriginalKey(ByteBuffer.wrap("call-42".getBytes()))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setFailedAtMs(4L)
                .build();
    }
}
