package io.emostream.job.stream;

/** A chunk that arrived ahead of a missing one and waits in keyed state. A Flink POJO: public fields. */
public class PendingChunk {
    public long sequence;
    public long firstSample;
    public byte[] payload;
    public boolean endOfStream;
    public long ingestTimeMs;

    public PendingChunk() {
    }

    PendingChunk(long sequence, long firstSample, byte[] payload, boolean endOfStream, long ingestTimeMs) {
        this.sequence = sequence;
        this.firstSample = firstSample;
        this.payload = payload;
        this.endOfStream = endOfStream;
        this.ingestTimeMs = ingestTimeMs;
    }
}
