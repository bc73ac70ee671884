package io.emostream.ingest.chunk;

import io.emostream.ingest.InvalidInputException;
import io.emostream.schema.AudioChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts one call's audio into {@link AudioChunk}s of a fixed length per channel. Chunks of a channel are numbered
 * 0, 1, 2, ... and carry the index of their first sample, so a receiver can restore order and measure loss. Audio
 * may arrive in pieces of any size, interleaved or already split per channel; a chunk is emitted as soon as it is
 * full, so a live stream is never held back by more than one chunk.
 *
 * <p>{@link #finish()} emits what is left with {@code endOfStream} set, or an empty end-of-stream marker when
 * nothing is left. Not thread-safe: one chunker per call.
 */
public final class CallChunker {
    private final CallFormat format;
    private final int chunkBytes;
    private final long streamStartMs;
    private final byte[][] pending;
    private int pendingBytes;
    private final byte[] partialFrame;
    private int partialFrameBytes;
    private long nextSequence;
    private long nextFirstSample;
    private boolean finished;

    /**
     * @param chunkSamples  samples per channel in a full chunk
     * @param streamStartMs wall-clock time of the first sample; chunk capture times count from it
     */
    public CallChunker(CallFormat format, int chunkSamples, long streamStartMs) {
        if (chunkSamples <= 0) {
            throw new IllegalArgumentException("a chunk needs at least one sample");
        }
        this.format = format;
        this.chunkBytes = chunkSamples * format.bytesPerSample();
        this.streamStartMs = streamStartMs;
        this.pending = new byte[format.channels()][chunkBytes];
        this.partialFrame = new byte[format.channels() * format.bytesPerSample()];
    }

    /** Chunk lengths we accept: shorter floods Kafka with tiny records, longer delays live analysis. */
    public static final int MIN_CHUNK_MS = 10;
    public static final int MAX_CHUNK_MS = 1000;

    /** @throws InvalidInputException naming the length when it is outside {@link #MIN_CHUNK_MS}..{@link #MAX_CHUNK_MS} */
    public static int requireValidChunkMs(int chunkMs) {
        if (chunkMs < MIN_CHUNK_MS || chunkMs > MAX_CHUNK_MS) {
            throw new InvalidInputException("chunk length " + chunkMs + " ms is outside " + MIN_CHUNK_MS + ".."
                    + MAX_CHUNK_MS + " ms");
        }
        return chunkMs;
    }

    /** Samples per channel in a chunk of {@code chunkMs} at this rate (at least one). */
    public static int samplesPerChunk(int sampleRate, int chunkMs) {
        return Math.max(1, (int) ((long) sampleRate * chunkMs / 1000));
    }

    public CallFormat format() {
        return format;
    }

    /** Appends audio already split per channel; every channel must hold the same number of bytes. */
    public List<AudioChunk> append(byte[][] channels) {
        requireOpen();
        if (channels.length != format.channels()) {
            throw new IllegalArgumentException("expected " + format.channels() + " channels, got " + channels.length);
        }
        int length = channels[0].length;
        for (byte[] channel : channels) {
            if (channel.length != length) {
                throw new IllegalArgumentException("channels of one append must be equally long");
            }
        }
        List<AudioChunk> out = new ArrayList<>();
        int offset = 0;
        while (offset < length) {
            int n = Math.min(chunkBytes - pendingBytes, length - offset);
            for (int c = 0; c < channels.length; c++) {
                System.arraycopy(channels[c], offset, pending[c], pendingBytes, n);
            }
            pendingBytes += n;
            offset += n;
            if (pendingBytes == chunkBytes) {
                emitPending(false, out);
            }
        }
        return out;
    }

    /**
     * Appends interleaved sample frames (channel 0, 1, ... of the first sample, then of the next). A piece may
     * end inside a frame; the rest of that frame is expected at the start of the next piece.
     */
    public List<AudioChunk> appendInterleaved(byte[] data, int offset, int length) {
        requireOpen();
        int frameBytes = partialFrame.length;
        int end = offset + length;
        List<AudioChunk> out = new ArrayList<>();
        if (partialFrameBytes > 0) {
            int n = Math.min(frameBytes - partialFrameBytes, length);
            System.arraycopy(data, offset, partialFrame, partialFrameBytes, n);
            partialFrameBytes += n;
            offset += n;
            if (partialFrameBytes < frameBytes) {
                return out;
            }
            out.addAll(append(Interleaving.split(partialFrame, 0, 1, format.channels(), format.bytesPerSample())));
            partialFrameBytes = 0;
        }
        int frames = (end - offset) / frameBytes;
        if (frames > 0) {
            out.addAll(append(Interleaving.split(data, offset, frames, format.channels(), format.bytesPerSample())));
            offset += frames * frameBytes;
        }
        partialFrameBytes = end - offset;
        System.arraycopy(data, offset, partialFrame, 0, partialFrameBytes);
        return out;
    }

    /** Bytes of an incomplete sample frame that {@link #finish()} would have to drop. */
    public int danglingBytes() {
        return partialFrameBytes;
    }

    /** Emits the remaining audio as the last chunk of every channel, marked end-of-stream. */
    public List<AudioChunk> finish() {
        requireOpen();
        finished = true;
        List<AudioChunk> out = new ArrayList<>(format.channels());
        emitPending(true, out);
        return out;
    }

    public boolean isFinished() {
        return finished;
    }

    public long chunksEmitted() {
        return nextSequence * format.channels();
    }

    /** Samples appended to each channel so far. */
    public long samplesPerChannel() {
        return nextFirstSample + pendingBytes / format.bytesPerSample();
    }

    private void emitPending(boolean endOfStream, List<AudioChunk> out) {
        int samples = pendingBytes / format.bytesPerSample();
        long captureTimeMs = streamStartMs + nextFirstSample * 1000 / format.sampleRate();
        for (int channel = 0; channel < format.channels(); channel++) {
            out.add(Chunks.of(format, channel, nextSequence, nextFirstSample, captureTimeMs,
                    Arrays.copyOf(pending[channel], pendingBytes), endOfStream));
        }
        nextSequence++;
        nextFirstSample += samples;
        pendingBytes = 0;
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("call " + format.callId() + " has already been finished");
        }
    }
}
