package io.emostream.ingest.file;

import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.kafka.CallDelivery;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.schema.AudioChunk;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Reads one recording to its end and publishes it chunk by chunk. With {@code realtime}, each chunk leaves when
 * its last sample would have been spoken, so a file behaves like a live call. However reading ends (the end of
 * the audio, a read error, or a stop request), the call is finished: what was read is published and every
 * channel is marked end-of-stream, so no stream is left open downstream.
 */
final class RecordingIngest {
    private final ChunkPublisher publisher;
    private final int chunkMs;
    private final boolean realtime;
    private final BooleanSupplier stopRequested;
    private final LongConsumer progress;

    /** What happened: the finished chunker holds the counts; {@code failure} is the read error that ended it, if any. */
    record Result(CallChunker chunker, CallDelivery delivery, IOException failure, boolean stopped) {
        double seconds() {
            return (double) chunker.samplesPerChannel() / chunker.format().sampleRate();
        }
    }

    /** @param progress told the samples per channel ingested so far, after every chunk */
    RecordingIngest(ChunkPublisher publisher, int chunkMs, boolean realtime, BooleanSupplier stopRequested, LongConsumer progress) {
        this.publisher = publisher;
        this.chunkMs = chunkMs;
        this.realtime = realtime;
        this.stopRequested = stopRequested;
        this.progress = progress;
    }

    Result ingest(CallFormat format, ChannelReader reader) {
        long startNanos = System.nanoTime();
        int framesPerChunk = CallChunker.samplesPerChunk(format.sampleRate(), chunkMs);
        CallChunker chunker = new CallChunker(format, framesPerChunk, System.currentTimeMillis());
        CallDelivery delivery = new CallDelivery(format.callId());
        IOException failure = null;
        boolean stopped = false;
        try {
            while (true) {
                if (stopRequested.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                byte[][] channels = reader.readChannels(framesPerChunk);
                if (channels == null) {
                    break;
                }
                List<AudioChunk> chunks = chunker.append(channels);
                boolean onTime = !realtime || waitUntil(startNanos, chunker.samplesPerChannel(), format.sampleRate());
                // Audio already read is sent even when a stop cut its wait short: nothing read is dropped.
                publisher.sendAll(chunks, delivery);
                progress.accept(chunker.samplesPerChannel());
                if (!onTime) {
                    stopped = true;
                    break;
                }
            }
            if (realtime && !stopped) {
                stopped = !waitUntil(startNanos, chunker.samplesPerChannel(), format.sampleRate());
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            publisher.sendAll(chunker.finish(), delivery);
            delivery.seal();
        }
        return new Result(chunker, delivery, failure, stopped);
    }

    /** Waits until {@code samples} of audio would have been spoken; false if told to stop first. */
    private boolean waitUntil(long startNanos, long samples, int sampleRate) {
        long deadline = startNanos + TimeUnit.SECONDS.toNanos(samples) / sampleRate;
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            if (stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        return true;
    }
}
