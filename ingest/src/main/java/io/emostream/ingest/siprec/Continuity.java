package io.emostream.ingest.siprec;

/**
 * Tells when a source restarted its sequence numbers and timestamps without changing its SSRC, as SBCs and B2BUAs
 * do after a transfer or a media re-anchor. The sequence check is RFC 3550 Appendix A.1's: a jump of more than
 * {@value #MAX_DROPOUT} ahead or {@value #MAX_MISORDER} behind is suspect, and a restart once the next packet
 * follows it in sequence. A packet with the marker bit whose timestamp is more than a second away from where the
 * time since the previous packet puts it is a restart at once (a talkspurt after silence suppression moves the
 * timestamp by as much as the silence lasted, so it stays in line). Not thread-safe: one per source, used by its
 * stream's reader.
 */
final class Continuity {
    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;
    private static final int SEQUENCE_MOD = 1 << 16;

    enum Verdict {
        /** In sequence, or a reordered or repeated packet: its timestamp places it. */
        IN_LINE,
        /** A jump not yet confirmed: hold the packet until the next one says what it was. */
        SUSPECT,
        /** The source restarted with the suspect packet (or, for a marked packet, with this one). */
        RESTART
    }

    private final int sampleRate;
    private int highest = -1;
    private int bad = -1;
    private long lastTimestamp;
    private long lastNanos;

    Continuity(int sampleRate) {
        this.sampleRate = sampleRate;
    }

    Verdict check(int sequence, boolean marker, long timestamp, long arrivalNanos) {
        if (highest < 0) {
            follow(sequence, timestamp, arrivalNanos);
            return Verdict.IN_LINE;
        }
        int delta = (sequence - highest) & (SEQUENCE_MOD - 1);
        if (delta < MAX_DROPOUT) {
            if (marker && delta != 0 && jumped(timestamp, arrivalNanos)) {
                restart(sequence, timestamp, arrivalNanos);
                return Verdict.RESTART;
            }
            follow(sequence, timestamp, arrivalNanos);
            return Verdict.IN_LINE;
        }
        if (delta <= SEQUENCE_MOD - MAX_MISORDER) {
            if (sequence == bad) {
                restart(sequence, timestamp, arrivalNanos);
                return Verdict.RESTART;
            }
            bad = (sequence + 1) & (SEQUENCE_MOD - 1);
            return Verdict.SUSPECT;
        }
        return Verdict.IN_LINE;
    }

    private boolean jumped(long timestamp, long arrivalNanos) {
        long expected = lastTimestamp + (arrivalNanos - lastNanos) / 1000 * sampleRate / 1_000_000;
        // The difference on the 32-bit circle, as a signed number.
        long difference = (int) ((timestamp - expected) & 0xFFFFFFFFL);
        return Math.abs(difference) > sampleRate;
    }

    private void follow(int sequence, long timestamp, long arrivalNanos) {
        highest = sequence;
        lastTimestamp = timestamp;
        lastNanos = arrivalNanos;
    }

    private void restart(int sequence, long timestamp, long arrivalNanos) {
        bad = -1;
        follow(sequence, timestamp, arrivalNanos);
    }
}
