package io.emostream.job.segment;

import io.emostream.job.stream.SamplesTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything segmentation remembers about one speaker stream, kept in Flink keyed state: the voice-activity
 * model's recurrent state, the utterance rules' state, and the samples of a frame not yet complete.
 * A Flink POJO: public fields, no logic.
 */
public class SegmentationState {
    public String callId;
    public int channel;
    public String role;
    public String source;
    /** Who speaks and what the call belongs to, as the chunks named them; null when unknown. */
    public String speaker;
    public String series;
    /** How many channels the call has in all, as its chunks declared; null when unknown. */
    public Integer channels;
    public VadState vad = new VadState();
    public SegmenterState segmenter = new SegmenterState();
    /** Samples waiting for the rest of their frame, which starts at {@code partialStart}. */
    @TypeInfo(SamplesTypeInfo.Factory.class)
    public float[] partial = new float[SileroVad.FRAME_SAMPLES];
    public int partialLength;
    public long partialStart;
    public int partialBridged;
    /** The incomplete frame starts after lost audio: the utterance before it must end first. */
    public boolean partialAfterDiscontinuity;
    /** Wall-clock time of the stream's latest audio, and of the idle check registered for it (0: none). */
    public long lastActivityMs;
    public long idleCheckAtMs;

    public SegmentationState() {
    }
}
