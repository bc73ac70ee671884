package io.emostream.job.segment;

import io.emostream.job.stream.SamplesTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What {@link UtteranceSegmenter} remembers about one speaker stream between frames, kept in Flink keyed state.
 * A Flink POJO: public fields, no logic.
 */
public class SegmenterState {
    public boolean inSpeech;
    /** Audio from {@code audioStart} on: the padding before speech, then the utterance so far. */
    @TypeInfo(SamplesTypeInfo.Factory.class)
    public float[] audio = new float[0];
    public int audioLength;
    public long audioStart;
    /** One past the last frame judged speech. */
    public long lastSpeechEnd;
    public long speechSamples;
    public int bridgedSamples;
    public long lastIngestTimeMs;

    public SegmenterState() {
    }
}
