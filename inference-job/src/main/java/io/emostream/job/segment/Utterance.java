package io.emostream.job.segment;

import io.emostream.job.stream.SamplesTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One stretch of speech of one speaker stream, cut by the segmentation rules, with its 16 kHz audio (padding
 * included). A Flink POJO: public fields.
 */
public class Utterance {
    /** Why the utterance ended: enough silence, the length limit, the end of the stream, or audio lost. */
    /** Why an utterance ended; END_OF_INPUT: a bounded run finished while the stream was still open. */
    public enum EndReason { SILENCE, MAX_LENGTH, END_OF_STREAM, DISCONTINUITY, IDLE, END_OF_INPUT }

    public String callId;
    public int channel;
    public String role;
    public String source;
    /** Who speaks and what the call belongs to, as the chunks named them; null when unknown. */
    public String speaker;
    public String series;
    /** First and one-past-last sample at 16 kHz, counted from the stream's start; padding included. */
    public long startSample;
    public long endSample;
    @TypeInfo(SamplesTypeInfo.Factory.class)
    public float[] samples;
    /** Samples the voice-activity model judged to be speech. */
    public long speechSamples;
    public int bridgedSamples;
    public EndReason endReason;
    /** Epoch ms at which the segmenter decided the utterance had ended. */
    public long vadEndTimeMs;
    /** Epoch ms at which the latest chunk of the utterance was handed to Kafka. */
    public long lastIngestTimeMs;
    /** What was said, once speech recognition has run; null otherwise. */
    public String transcript;
    /** Why there is or is not a transcript: a TranscriptStatus name. */
    public String transcriptStatus = "ASR_OFF";
    /** Which recogniser wrote the transcript, e.g. sphinx4; null when there is none. */
    public String transcriptSource;

    public Utterance() {
    }

    /** A copy carrying a transcript outcome; the audio is shared, as neither copy changes it. */
    public Utterance withTranscript(String text, String status, String recognizer) {
        Utterance copy = new Utterance();
        copy.callId = callId;
        copy.channel = channel;
        copy.role = role;
        copy.source = source;
        copy.speaker = speaker;
        copy.series = series;
        copy.startSample = startSample;
        copy.endSample = endSample;
        copy.samples = samples;
        copy.speechSamples = speechSamples;
        copy.bridgedSamples = bridgedSamples;
        copy.endReason = endReason;
        copy.vadEndTimeMs = vadEndTimeMs;
        copy.lastIngestTimeMs = lastIngestTimeMs;
        copy.transcript = text;
        copy.transcriptStatus = status;
        copy.transcriptSource = recognizer;
        return copy;
    }

    /** The deterministic id {@code callId/channel/startSample}: a replay cuts the same utterances. */
    public String id() {
        return callId + "/" + channel + "/" + startSample;
    }

    public long startMs() {
        return startSample * 1000 / SileroVad.SAMPLE_RATE;
    }

    public long endMs() {
        return endSample * 1000 / SileroVad.SAMPLE_RATE;
    }
}
