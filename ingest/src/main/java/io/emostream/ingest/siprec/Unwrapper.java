package io.emostream.ingest.siprec;

/**
 * Extends an RTP counter that wraps around (16-bit sequence numbers, 32-bit timestamps) to a 64-bit one, taking
 * each value as the nearest one to the highest seen so far (RFC 3550 Appendix A.1). Not thread-safe.
 */
final class Unwrapper {
    private final long modulus;
    private long highest = Long.MIN_VALUE;

    Unwrapper(int bits) {
        this.modulus = 1L << bits;
    }

    long extend(long value) {
        if (highest == Long.MIN_VALUE) {
            highest = value;
            return value;
        }
        long delta = (value - highest) & (modulus - 1);
        // Shift the delta into a signed range: more than half the circle ahead means behind.
        if (delta >= modulus / 2) {
            delta -= modulus;
        }
        long extended = highest + delta;
        highest = Math.max(highest, extended);
        return extended;
    }
}
