package io.emostream.ingest.live;

import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.chunk.TrackChunker;
import io.emostream.ingest.kafka.CallDelivery;
import io.emostream.schema.AudioChunk;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.common.KafkaException;

/**
 * One live call of a telephony protocol, whatever brings its audio: interleaved frames at the call's position
 * (AudioHook, AudioSocket), or each channel's samples at positions of their own (Twilio tracks, SIPREC RTP
 * streams), placed on one timeline. Gaps between positions are left for the job to bridge, as lost chunks are.
 *
 * <p>Sending blocks when the producer's buffer is full, so a slow Kafka holds up the connection's reader and the
 * peer's TCP window rather than a growing buffer here. A chunk Kafka refuses makes the call undeliverable: the
 * protocol is told once, further audio is dropped (and counted), and every channel is still ended (the marker goes
 * out without its audio). Thread-safe.
 */
public final class LiveCall {
    private final LiveCalls calls;
    private final Consumer<String> onUndeliverable;
    private final TrackChunker[] channels;
    private final CallDelivery delivery;
    private final byte[] partialFrame;
    /** Replaced only by {@link #identify}; read without the lock, on Kafka's threads too. */
    private volatile CallFormat format;
    private int partialFrameBytes;
    private boolean ended;
    private final AtomicReference<String> undeliverable = new AtomicReference<>();
    private long droppedBytes;

    LiveCall(LiveCalls calls, CallFormat format, Consumer<String> onUndeliverable, long streamStartMs) {
        this.calls = calls;
        this.format = format;
        this.onUndeliverable = onUndeliverable;
        int chunkSamples = CallChunker.samplesPerChunk(format.sampleRate(), calls.limits().chunkMs());
        this.channels = new TrackChunker[format.channels()];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = new TrackChunker(format, c, chunkSamples, streamStartMs);
        }
        this.partialFrame = new byte[format.channels() * format.bytesPerSample()];
        this.delivery = new CallDelivery(format.callId());
    }

    public CallFormat format() {
        return format;
    }

    /**
     * Appends interleaved sample frames (channel 0, 1, … of each sample) at the call's position. A piece may end
     * inside a frame; the rest of that frame is expected at the start of the next piece.
     */
    public synchronized void appendInterleaved(byte[] data, int offset, int length) {
        if (!accepting(length)) {
            return;
        }
        int frameBytes = partialFrame.length;
        int end = offset + length;
        if (partialFrameBytes > 0) {
            int n = Math.min(frameBytes - partialFrameBytes, length);
            System.arraycopy(data, offset, partialFrame, partialFrameBytes, n);
            partialFrameBytes += n;
            offset += n;
            if (partialFrameBytes < frameBytes) {
                return;
            }
            appendFrames(partialFrame, 0, 1);
            partialFrameBytes = 0;
        }
        int frames = (end - offset) / frameBytes;
        appendFrames(data, offset, frames);
        offset += frames * frameBytes;
        partialFrameBytes = end - offset;
        System.arraycopy(data, offset, partialFrame, 0, partialFrameBytes);
    }

    /**
     * Appends one channel's samples starting at sample {@code atSample} of that channel (counted from the call's
     * first sample). Audio before the channel's position repeats what it already has and is dropped; audio after
     * it leaves a gap.
     */
    public synchronized void appendTrack(int channel, byte[] data, int offset, int length, long atSample) {
        if (accepting(length)) {
            publish(channels[channel].append(data, offset, length, atSample));
        }
    }

    /** Moves every channel on to {@code sample} without audio: audio the source paused or discarded. */
    public synchronized void skipTo(long sample) {
        if (!ended && undeliverable.get() == null) {
            for (TrackChunker channel : channels) {
                publish(channel.skipTo(sample));
            }
        }
    }

    /** Where the next sample of a channel would go, in samples from the call's start. */
    public synchronized long position(int channel) {
        return channels[channel].position();
    }

    /** The furthest position of any channel: the call's length so far, in samples. */
    public synchronized long length() {
        long length = 0;
        for (TrackChunker channel : channels) {
            length = Math.max(length, channel.position());
        }
        return length;
    }

    /** New speakers, series or metadata (a platform's update): chunks from now on carry them. */
    public synchronized void identify(CallIdentity identity) {
        format = new CallFormat(format.callId(), format.sampleRate(), format.encoding(), format.roles(), format.source(),
                identity);
        for (TrackChunker channel : channels) {
            channel.identify(identity);
        }
    }

    /**
     * Ends the call: what is left goes out and every channel is marked end-of-stream. Idempotent. The future
     * completes once Kafka has answered for every chunk of the call.
     */
    public CompletableFuture<CallDelivery> end() {
        synchronized (this) {
            if (!ended) {
                ended = true;
                droppedBytes += partialFrameBytes;
                partialFrameBytes = 0;
                for (TrackChunker channel : channels) {
                    List<AudioChunk> last = channel.finish();
                    if (undeliverable.get() == null) {
                        publish(last);
                    } else {
                        // Readers must still learn that the stream ended: the marker goes out without its audio.
                        for (AudioChunk chunk : last) {
                            droppedBytes += chunk.getPayload().remaining();
                            chunk.setPayload(ByteBuffer.allocate(0));
                            sendQuietly(chunk);
                        }
                    }
                }
                delivery.seal();
            } else {
                return delivery.settled();
            }
        }
        calls.ended(this);
        return delivery.settled();
    }

    public synchronized boolean isEnded() {
        return ended;
    }

    /** Why Kafka refused the call's audio, or null while it is delivered. */
    public String undeliverable() {
        return undeliverable.get();
    }

    /** Bytes not published: an incomplete frame at the end, audio that came after the call became undeliverable. */
    public synchronized long droppedBytes() {
        return droppedBytes;
    }

    public CallDelivery delivery() {
        return delivery;
    }

    /** Chunks cut so far, over every channel. */
    public synchronized long chunksEmitted() {
        long chunks = 0;
        for (TrackChunker channel : channels) {
            chunks += channel.chunksEmitted();
        }
        return chunks;
    }

    private boolean accepting(int length) {
        if (ended || undeliverable.get() != null) {
            droppedBytes += length;
            return false;
        }
        return true;
    }

    private void appendFrames(byte[] data, int offset, int frames) {
        if (frames == 0) {
            return;
        }
        int bytesPerSample = format.bytesPerSample();
        if (channels.length == 1) {
            publish(channels[0].append(data, offset, frames * bytesPerSample));
            return;
        }
        byte[] one = new byte[frames * bytesPerSample];
        int frameBytes = channels.length * bytesPerSample;
        for (int c = 0; c < channels.length; c++) {
            for (int frame = 0; frame < frames; frame++) {
                System.arraycopy(data, offset + frame * frameBytes + c * bytesPerSample, one, frame * bytesPerSample,
                        bytesPerSample);
            }
            publish(channels[c].append(one, 0, one.length));
        }
    }

    private void publish(List<AudioChunk> chunks) {
        for (AudioChunk chunk : chunks) {
            if (undeliverable.get() != null) {
                return;
            }
            try {
                calls.publisher().send(chunk, delivery, this::refused);
            } catch (KafkaException | IllegalStateException e) {
                refused(e);
            }
        }
    }

    private void sendQuietly(AudioChunk chunk) {
        try {
            calls.publisher().send(chunk, delivery, error -> { });
        } catch (KafkaException | IllegalStateException e) {
            // Counted in the call's delivery; the call is already known to be undeliverable.
        }
    }

    /** Samples dropped because they repeated a position a channel already had (a platform resending). */
    public synchronized long repeatedSamples() {
        long repeated = 0;
        for (TrackChunker channel : channels) {
            repeated += channel.duplicateSamples();
        }
        return repeated;
    }

    /**
     * A chunk Kafka refused, or could not take in time. Called on a Kafka client thread too, so it takes no lock:
     * the handler's thread may hold this call's lock while it waits for room in the producer's buffer.
     */
    private void refused(Exception error) {
        String reason = error.getMessage() == null ? error.toString() : error.getMessage();
        if (!undeliverable.compareAndSet(null, reason)) {
            return;
        }
        calls.undeliverable(this, reason, onUndeliverable);
    }
}
