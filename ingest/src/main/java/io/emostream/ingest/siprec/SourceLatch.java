package io.emostream.ingest.siprec;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * Which address and port a stream takes RTP from: the first sender's. Packets from any other source are not the
 * stream's (a stray or spoofed sender on the allow-list) and are ignored, until the latched source has been silent
 * for {@link #SILENCE}. For {@link #SILENCE} after the client re-offers the stream its media may move (a re-INVITE
 * after a transfer), so then {@link #MOVED} of silence is enough. Used by the stream's reader; {@link #reopen} may
 * come from any thread.
 */
final class SourceLatch {
    static final Duration SILENCE = Duration.ofSeconds(2);
    static final Duration MOVED = Duration.ofMillis(100);

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
    private volatile long reofferedNanos = Long.MIN_VALUE;

    Verdict check(SocketAddress from, long arrivalNanos) {
        Verdict verdict = Verdict.LATCHED;
        if (!from.equals(source)) {
            if (source != null) {
                long reoffered = reofferedNanos;
                boolean moving = reoffered != Long.MIN_VALUE && arrivalNanos - reoffered < SILENCE.toNanos();
                if (arrivalNanos - lastNanos <= (moving ? MOVED : SILENCE).toNanos()) {
                    return Verdict.OTHER;
                }
                verdict = Verdict.SWITCHED;
            }
            source = from;
        }
        lastNanos = arrivalNanos;
        return verdict;
    }

    /** The client re-offered the stream at {@code nanos} (System.nanoTime()): its media may come from elsewhere now. */
    void reopen(long nanos) {
        reofferedNanos = nanos;
    }
}
