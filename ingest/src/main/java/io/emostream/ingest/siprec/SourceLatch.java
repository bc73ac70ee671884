package io.emostream.ingest.siprec;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * Which address and port a stream takes RTP from: the first sender's. Packets from any other source are not the
 * stream's (a stray or spoofed sender on the allow-list) and are ignored, until the latched source has been silent
 * for {@link #SILENCE} or the client re-offered the stream (its media may come from elsewhere after a re-INVITE);
 * then the next sender is latched. Used by the stream's reader; {@link #reopen()} may come from any thread.
 */
final class SourceLatch {
    static final Duration SILENCE = Duration.ofSeconds(2);

    enum Verdict {
        /** From the latched source. */
        LATCHED,
        /** From a new source, latched from now on: the stream starts again. */
        SWITCHED,
        /** From another source while the latched one is live: ignored. */
        OTHER
    }

    private SocketAddress source;
    private long lastNanos;
    private volatile boolean reopened;

    Verdict check(SocketAddress from, long arrivalNanos) {
        Verdict verdict;
        if (from.equals(source)) {
            verdict = Verdict.LATCHED;
        } else if (source == null || reopened || arrivalNanos - lastNanos > SILENCE.toNanos()) {
            verdict = source == null ? Verdict.LATCHED : Verdict.SWITCHED;
            source = from;
        } else {
            return Verdict.OTHER;
        }
        reopened = false;
        lastNanos = arrivalNanos;
        return verdict;
    }

    /** The client re-offered the stream: the next packet's sender is latched, wherever it comes from. */
    void reopen() {
        reopened = true;
    }
}
