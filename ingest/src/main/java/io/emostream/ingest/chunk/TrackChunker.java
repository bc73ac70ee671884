package io.emostream.ingest.chunk;

import io.emostream.schema.AudioChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts one channel of a call into {@link AudioChunk}s when its audio arrives with positions of its own: an RTP
 * timestamp, a Twilio media timestamp, a Genesys stream position. Audio placed later than the channel's position
 * leaves a gap: the chunk before it is emitted short and the next one starts at the new position, so the job
 * bridges the gap with silence (or marks a discontinuity when it is long) exactly as for lost chunks. Audio placed
 * earlier than the position repeats what was already taken and is dropped. Sequences stay gapless.
 *
 * <p>Not thread-safe: one chunker per channel, used by one call's handler.
 */
public final class TrackChunker {
    private CallFormat format;
    private final int channel;
    private final int bytesPerSample;
    private final byte[] pending;
    private final long streamStartMs;
    private int pendingBytes;
    private long nextSequence;
    private long pendingFirstSample;
    private long duplicateSamples;
    private boolean finished;

    /**
     * @param chunkSamples  samples in a full chunk
     * @param streamStartMs wall-clock time of sample 0; chunk capture times count from it
     */
    public TrackChunker(CallFormat format, int channel, int chunkSamples, long streamStartMs) {
        if (chunkSamples <= 0) {
            throw new IllegalArgumentException("a chunk needs at least one sample");
        }
        if (channel < 0 || channel >= format.channels()) {
            throw new IllegalArgumentException("channel " + channel + " is not one of the call's " + format.channels());
        }
        this.format = format;
        this.channel = channel;
        this.bytesPerSample = format.bytesPerSample();
        this.pending = new byte[chunkSamples * bytesPerSample];
        this.streamStartMs = streamStartMs;
    }

    /** The sample index the next audio would start at when it comes without a position of its own. */
    public long position() {
        return pendingFirstSample + pendingBytes / bytesPerSample;
    }

    /** Samples dropped because they repeated audio this channel had already taken. */
    public long duplicateSamples() {
        return duplicateSamples;
    }

    public long chunksEmitted() {
        return nextSequence;
    }

    /**
     * Appends whole samples of this channel ({@code length} must be a multiple of the sample size) that start at
     * sample {@code atSample} of the channel.
     */
    public List<AudioChunk> append(byte[] data, int offset, int length, long atSample) {
        requireOpen();
        if (length % bytesPerSample != 0) {
            throw new IllegalArgumentException(length + " bytes are not whole " + bytesPerSample + "-byte samples");
        }
        List<AudioChunk> out = new ArrayList<>();
        long position = position();
        if (atSample < position) {
            long repeated = Math.min(position - atSample, length / bytesPerSample);
            duplicateSamples += repeated;
            offset += (int) repeated * bytesPerSample;
            length -= (int) repeated * bytesPerSample;
            atSample += repeated;
        }
        if (length == 0) {
            return out;
        }
        if (atSample > position) {
            skipTo(atSample, out);
        }
        while (length > 0) {
            int n = Math.min(pending.length - pendingBytes, length);
            System.arraycopy(data, offset, pending, pendingBytes, n);
            pendingBytes += n;
            offset += n;
            length -= n;
            if (pendingBytes == pending.length) {
                emit(false, out);
            }
        }
        return out;
    }

    /** Appends at the channel's position. */
    public List<AudioChunk> append(byte[] data, int offset, int length) {
        return append(data, offset, length, position());
    }

    /** Moves the position on to {@code sample} without audio (a pause, audio discarded at the source). */
    public List<AudioChunk> skipTo(long sample) {
        requireOpen();
        List<AudioChunk> out = new ArrayList<>();
        if (sample > position()) {
            skipTo(sample, out);
        }
        return out;
    }

    /** Who speaks and what the call belongs to, for the chunks from now on (a platform's update). */
    public void identify(CallIdentity identity) {
        format = new CallFormat(format.callId(), format.sampleRate(), format.encoding(), format.roles(), format.source(),
                identity);
    }

    /** Emits what is left as the channel's last chunk, marked end-of-stream (empty when nothing is left). */
    public List<AudioChunk> finish() {
        requireOpen();
        finished = true;
        List<AudioChunk> out = new ArrayList<>(1);
        emit(true, out);
        return out;
    }

    public boolean isFinished() {
        return finished;
    }

    private void skipTo(long sample, List<AudioChunk> out) {
        if (pendingBytes > 0) {
            emit(false, out);
        }
        pendingFirstSample = sample;
    }

    private void emit(boolean endOfStream, List<AudioChunk> out) {
        long captureTimeMs = streamStartMs + pendingFirstSample * 1000 / format.sampleRate();
        out.add(Chunks.of(format, channel, nextSequence, pendingFirstSample, captureTimeMs,
                Arrays.copyOf(pending, pendingBytes), endOfStream));
        nextSequence++;
        pendingFirstSample += pendingBytes / bytesPerSample;
        pendingBytes = 0;
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("channel " + channel + " of call " + format.callId() + " has already been finished");
        }
    }
}
