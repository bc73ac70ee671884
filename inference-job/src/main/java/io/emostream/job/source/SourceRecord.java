package io.emostream.job.source;

import io.emostream.schema.AudioChunk;
import io.emostream.schema.DeadLetter;

/**
 * One record read from the audio topic: a readable chunk with where it came from, or, for bytes that are not a
 * chunk, the dead letter that keeps them. A Flink POJO: public fields; exactly one of the two is set.
 */
public class SourceRecord {
    public AudioChunk chunk;
    public String topic;
    public int partition;
    public long offset;
    public DeadLetter deadLetter;

    public SourceRecord() {
    }

    static SourceRecord of(AudioChunk chunk, String topic, int partition, long offset) {
        SourceRecord record = new SourceRecord();
        record.chunk = chunk;
        record.topic = topic;
        record.partition = partition;
        record.offset = offset;
        return record;
    }

    static SourceRecord unreadable(DeadLetter deadLetter) {
        SourceRecord record = new SourceRecord();
        record.deadLetter = deadLetter;
        return record;
    }

    /** The key of the speaker stream a chunk belongs to: call id and channel. */
    public String streamKey() {
        return chunk.getCallId() + "/" + chunk.getChannel();
    }
}
