package io.emostream.job.stream;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A run of one speaker stream's audio, restored to order and converted to 16 kHz mono float. Blocks of a stream
 * follow each other without gaps, except after a {@code discontinuity}, where audio too long to bridge was lost.
 * A Flink POJO: public fields.
 */
public class AudioBlock {
    public static final int SAMPLE_RATE = 16_000;

    public String callId;
    public int channel;
    public String role;
    public String source;
    /** Who speaks and what the call belongs to, as the chunks named them; null when unknown. */
    public String speaker;
    public String series;
    /** How many channels the call has in all, as its chunks declared; null when unknown. */
    public Integer channels;
    /** Index of {@code samples[0]} in the stream at 16 kHz, counted from the stream's first sample. */
    public long startSample;
    @TypeInfo(SamplesTypeInfo.Factory.class)
    public float[] samples;
    /** Samples of this block that are silence standing in for lost audio. */
    public int bridgedSamples;
    /** True when audio was lost before this block and not bridged: what came before does not join up with it. */
    public boolean discontinuity;
    /** Epoch ms at which the latest chunk in this block was handed to Kafka. */
    public long lastIngestTimeMs;
    public boolean endOfStream;

    public AudioBlock() {
    }

    public long endSample() {
        return startSample + samples.length;
    }
}
