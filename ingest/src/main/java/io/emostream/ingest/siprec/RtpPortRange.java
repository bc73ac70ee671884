package io.emostream.ingest.siprec;

import io.emostream.ingest.InvalidInputException;

/**
 * The UDP ports the recording server receives RTP on, both ends included ({@code --rtp-ports 40000-40999}). Each
 * stream takes an even port and leaves the odd one above it for the RTCP its client may send (RFC 3550 §11), so a
 * range of n ports carries n/2 streams: a two-party call takes four ports.
 */
public record RtpPortRange(int min, int max) {
    public static final RtpPortRange DEFAULT = new RtpPortRange(40000, 40999);

    public RtpPortRange {
        if (min < 1024 || max > 65535 || min > max) {
            throw new InvalidInputException("the RTP port range " + min + "-" + max
                    + " must lie within 1024-65535 with its lower end first, e.g. 40000-40999");
        }
        if (firstEven(min) + 1 > max) {
            throw new InvalidInputException("the RTP port range " + min + "-" + max
                    + " holds no even port with its odd neighbour; give it at least two ports, e.g. 40000-40999");
        }
    }

    /** From an option value such as {@code 40000-40999}. */
    public static RtpPortRange parse(String value) {
        String[] ends = value.strip().split("-");
        if (ends.length != 2) {
            throw new InvalidInputException("the RTP port range '" + value + "' must be two ports joined by '-', e.g. 40000-40999");
        }
        try {
            return new RtpPortRange(Integer.parseInt(ends[0].strip()), Integer.parseInt(ends[1].strip()));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("the RTP port range '" + value + "' must be two ports joined by '-', e.g. 40000-40999", e);
        }
    }

    /** How many streams the range can carry at once. */
    public int streams() {
        return (max - firstEven(min) + 1) / 2;
    }

    int firstEvenPort() {
        return firstEven(min);
    }

    private static int firstEven(int port) {
        return port % 2 == 0 ? port : port + 1;
    }

    @Override
    public String toString() {
        return min + "-" + max;
    }
}
