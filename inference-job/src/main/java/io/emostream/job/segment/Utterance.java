package io.emostream.job.segment;

/**
 * One stretch of speech of one speaker stream, cut by the segmentation rules, with its 16 kHz audio (padding
 * included). A Flink POJO: public fields.
 */
public class Utterance {
    /** Why the utterance ended: enough silence, the length limit, the end of the stream, or audio lost. */
    public enum EndReason { SILENCE, MAX_LENGTH, END_OF_STREAM, DISCONTINUITY }

    public String callId;
    public int channel;
    public String role;
    public String source;
    /** First and one-past-last sample at 16 kHz, counted from the stream's start; padding included. */
    public long startSample;
    public long endSample;
    public float[] samples;
    /** Samples the voice-activity model judged to be speech. */
    public long speechSamples;
    public int bridgedSamples;
    public EndReason endReason;
    /** Epoch ms at which the segmenter decided the utterance had ended. */
    public long vadEndTimeMs;
    /** Epoch ms at which the latest chunk of the utterance was handed to Kafka. */
    public long lastIngestTimeMs;

    public Utterance() {
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
