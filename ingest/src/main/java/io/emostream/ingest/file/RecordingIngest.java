package io.emostream.ingest.file;

import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.schema.AudioChunk;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads one recording to its end and publishes it chunk by chunk. With {@code realtime}, each chunk leaves when
 * its last sample would have been spoken, so a file behaves like a live call.
 */
public final class RecordingIngest {
    private final ChunkPublisher publisher;
    private final int chunkMs;
    private final boolean realtime;

    public RecordingIngest(ChunkPublisher publisher, int chunkMs, boolean realtime) {
        this.publisher = publisher;
        this.chunkMs = chunkMs;
        this.realtime = realtime;
    }

    /** @return the chunker, finished, holding the counts of what was sent */
    public CallChunker ingest(CallFormat format, ChannelReader reader) throws IOException {
        long startMs = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        CallChunker chunker = new CallChunker(format, CallChunker.samplesPerChunk(format.sampleRate(), chunkMs), startMs);
        int framesPerRead = CallChunker.samplesPerChunk(format.sampleRate(), chunkMs);
        byte[][] channels;
        while ((channels = reader.readChannels(framesPerRead)) != null) {
            List<AudioChunk> chunks = chunker.append(channels);
            if (realtime && !chunks.isEmpty()) {
                AudioChunk last = chunks.get(chunks.size() - 1);
                long endSample = last.getFirstSample() + last.getPayload().remaining() / format.bytesPerSample();
                waitUntil(startNanos + TimeUnit.SECONDS.toNanos(endSample) / format.sampleRate());
            }
            publisher.sendAll(chunks);
        }
        if (realtime) {
            waitUntil(startNanos + TimeUnit.SECONDS.toNanos(chunker.samplesPerChannel()) / format.sampleRate());
        }
        publisher.sendAll(chunker.finish());
        return chunker;
    }

    private static void waitUntil(long deadlineNanos) {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
