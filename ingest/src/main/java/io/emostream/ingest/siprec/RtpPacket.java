package io.emostream.ingest.siprec;

/**
 * The fixed header of an RTP packet (RFC 3550 §5.1) and where its payload lies: CSRC entries, a header extension
 * and padding are stepped over, so the payload is exactly the codec's bytes.
 *
 * @param sequence  16-bit sequence number, unsigned
 * @param timestamp 32-bit media timestamp, unsigned
 * @param ssrc      32-bit synchronisation source, unsigned
 */
public record RtpPacket(int payloadType, boolean marker, int sequence, long timestamp, long ssrc, int payloadOffset,
                        int payloadLength) {
    private static final int FIXED_HEADER = 12;

    /**
     * Reads the header of the packet in {@code data[0, length)}; null when it is not an RTP version 2 packet with a
     * consistent length, or when it is RTCP (payload types 72–76 with the marker bit are RTCP's 200–204, RFC 5761).
     */
    public static RtpPacket parse(byte[] data, int length) {
        if (length < FIXED_HEADER || (data[0] & 0xC0) != 0x80) {
            return null;
        }
        int secondByte = data[1] & 0xFF;
        if (secondByte >= 200 && secondByte <= 204) {
            return null;
        }
        boolean padding = (data[0] & 0x20) != 0;
        boolean extension = (data[0] & 0x10) != 0;
        int csrcCount = data[0] & 0x0F;
        int offset = FIXED_HEADER + 4 * csrcCount;
        if (extension) {
            if (offset + 4 > length) {
                return null;
            }
            int words = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
            offset += 4 + 4 * words;
        }
        int end = length;
        if (padding) {
            end -= data[length - 1] & 0xFF;
        }
        if (offset > end) {
            return null;
        }
        int sequence = ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        return new RtpPacket(secondByte & 0x7F, (secondByte & 0x80) != 0, sequence, readUnsigned32(data, 4),
                readUnsigned32(data, 8), offset, end - offset);
    }

    private static long readUnsigned32(byte[] data, int at) {
        return ((long) (data[at] & 0xFF) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8)
                | (data[at + 3] & 0xFF);
    }
}
