package io.emostream.ingest.siprec;

import io.emostream.ingest.live.SourceAllowList;
import io.emostream.ingest.live.LiveCall;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recorded RTP stream: a UDP socket from the range and a reader thread that puts the stream's audio on its
 * channel of the call, by RTP timestamp. The stream's first packet is placed where the call's clock stands when it
 * arrives, which puts every stream of a call on one timeline; later packets follow by their timestamps, so lost
 * packets leave gaps the job bridges and reordered ones go back in place (a {@link ReorderBuffer} of
 * {@value #REORDER_PACKETS} packets, 60 ms at 20 ms packets). A new SSRC, a new sender address or a source that
 * re-based its sequence numbers and timestamps ({@link Continuity}) starts again where the call's clock stands;
 * packets from a sender other than the latched one are ignored ({@link SourceLatch}).
 *
 * <p>Appends happen on the reader thread, so a Kafka producer whose buffer is full stops the reader. UDP has no
 * backpressure: the socket's buffer then fills, and packets that overflow it are lost like packets lost on the
 * network — they become gaps.
 */
final class RtpStream {
    private static final Logger LOG = LoggerFactory.getLogger(RtpStream.class);
    static final int REORDER_PACKETS = 3;
    private static final int MAX_PACKET = 2048;

    /** A packet's audio, in the call's encoding, waiting in the reorder buffer. */
    private record Audio(long timestamp, byte[] samples, int length) {
    }

    /** A packet that jumped in sequence, held until the next one says whether the source restarted with it. */
    private record Suspect(int sequence, long timestamp, long arrivalNanos, byte[] samples, int length) {
    }

    private final LiveCall call;
    private final int channel;
    private final DatagramSocket socket;
    private final int port;
    private final SourceAllowList allowed;
    private final long callStartNanos;
    private final Thread reader;
    private final SourceLatch latch = new SourceLatch();
    private volatile RtpFormat format;
    private volatile long lastPacketNanos;

    // Reader thread only.
    private ReorderBuffer<Audio> reorder = new ReorderBuffer<>(REORDER_PACKETS);
    private Unwrapper sequences;
    private Unwrapper timestamps;
    private Continuity continuity;
    private Suspect suspect;
    private long ssrc = -1;
    private long anchorSample;
    private long anchorTimestamp;
    private long packets;
    private long ignored;
    private long otherSources;
    private long late;
    private long restarts;

    RtpStream(LiveCall call, int channel, RtpFormat format, DatagramSocket socket, SourceAllowList allowed,
              long callStartNanos) {
        this.call = call;
        this.channel = channel;
        this.format = format;
        this.socket = socket;
        this.port = socket.getLocalPort();
        this.allowed = allowed;
        this.callStartNanos = callStartNanos;
        this.lastPacketNanos = callStartNanos;
        this.reader = new Thread(this::read, "siprec-rtp-" + port);
        reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    int port() {
        return port;
    }

    /** The format the client now sends in; null while it holds the stream (its packets are ignored then). */
    void format(RtpFormat format) {
        this.format = format;
    }

    /** The client offered the stream again: its next packet may come from another address (see {@link SourceLatch}). */
    void reoffered() {
        latch.reopen(System.nanoTime());
    }

    long lastPacketNanos() {
        return lastPacketNanos;
    }

    /** Stops reading; the audio still in the reorder buffer goes to the call before this returns. */
    void stop() {
        socket.close();
        if (Thread.currentThread() != reader) {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void read() {
        byte[] buffer = new byte[MAX_PACKET];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        try {
            while (!socket.isClosed()) {
                datagram.setLength(buffer.length);
                socket.receive(datagram);
                take(datagram);
            }
        } catch (IOException e) {
            if (!socket.isClosed()) {
                LOG.warn("RTP stream on port {} of call {} failed: {}", port(), call.format().callId(), e.getMessage());
            }
        } finally {
            place(reorder.drain());
            LOG.info("RTP stream on port {} of call {} (channel {}) ended: {} packets, {} late, {} ignored, {} from "
                            + "other sources, {} restarts", port(), call.format().callId(), channel, packets,
                    late + reorder.late(), ignored, otherSources, restarts);
        }
    }

    private void take(DatagramPacket datagram) {
        RtpFormat now = format;
        RtpPacket packet = RtpPacket.parse(datagram.getData(), datagram.getLength());
        // Other payload types (comfort noise, DTMF events) and RTCP carry no audio of the agreed codec.
        if (now == null || packet == null || packet.payloadType() != now.payloadType()
                || !allowed.allows(datagram.getAddress())) {
            ignored++;
            return;
        }
        long arrival = System.nanoTime();
        SourceLatch.Verdict source = latch.check(datagram.getSocketAddress(), arrival);
        if (source == SourceLatch.Verdict.OTHER) {
            otherSources++;
            return;
        }
        lastPacketNanos = arrival;
        packets++;
        if (packet.ssrc() != ssrc || source == SourceLatch.Verdict.SWITCHED) {
            restart(packet.ssrc(), packet.timestamp(), arrival, now.sampleRate());
        }
        byte[] samples = new byte[packet.payloadLength()];
        int length = now.decode(datagram.getData(), packet.payloadOffset(), packet.payloadLength(), samples);
        switch (continuity.check(packet.sequence(), packet.marker(), packet.timestamp(), arrival)) {
            case IN_LINE -> {
                if (suspect != null) {
                    // The jump was not confirmed: a stray packet, given up like a late one.
                    late++;
                    suspect = null;
                }
                add(packet.sequence(), packet.timestamp(), samples, length);
            }
            case SUSPECT -> {
                if (suspect != null) {
                    late++;
                }
                suspect = new Suspect(packet.sequence(), packet.timestamp(), arrival, samples, length);
            }
            case RESTART -> {
                // Sequence numbers and timestamps were re-based: the stream goes on where the call's clock stands.
                restarts++;
                Suspect first = suspect;
                suspect = null;
                if (first != null) {
                    reanchor(first.timestamp(), first.arrivalNanos(), now.sampleRate());
                    add(first.sequence(), first.timestamp(), first.samples(), first.length());
                } else {
                    reanchor(packet.timestamp(), arrival, now.sampleRate());
                }
                add(packet.sequence(), packet.timestamp(), samples, length);
            }
        }
    }

    private void add(int sequence, long timestamp, byte[] samples, int length) {
        place(reorder.add(sequences.extend(sequence), new Audio(timestamps.extend(timestamp), samples, length)));
    }

    /** A new source (the first, or the client switched): it starts where the call's clock stands now. */
    private void restart(long newSsrc, long firstTimestamp, long arrival, int sampleRate) {
        ssrc = newSsrc;
        suspect = null;
        continuity = new Continuity(sampleRate);
        reanchor(firstTimestamp, arrival, sampleRate);
    }

    /** Places the packet with {@code firstTimestamp} at the call's clock; what came before leaves first. */
    private void reanchor(long firstTimestamp, long arrival, int sampleRate) {
        place(reorder.drain());
        late += reorder.late();
        reorder = new ReorderBuffer<>(REORDER_PACKETS);
        sequences = new Unwrapper(16);
        timestamps = new Unwrapper(32);
        long elapsed = (arrival - callStartNanos) / 1000 * sampleRate / 1_000_000;
        anchorSample = Math.max(elapsed, call.position(channel));
        anchorTimestamp = firstTimestamp;
    }

    private void place(Iterable<Audio> ready) {
        int bytesPerSample = call.format().bytesPerSample();
        for (Audio audio : ready) {
            long atSample = anchorSample + (audio.timestamp() - anchorTimestamp);
            int length = audio.length() - audio.length() % bytesPerSample;
            if (atSample >= 0 && length > 0) {
                call.appendTrack(channel, audio.samples(), 0, length, atSample);
            }
        }
    }
}
