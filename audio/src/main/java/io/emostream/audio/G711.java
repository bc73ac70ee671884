package io.emostream.audio;

/**
 * ITU-T G.711 μ-law and A-law companding, bit-exact with the classic Sun reference code (and so with
 * Python's {@code audioop}). Decoding goes through 256-entry tables, since it runs once per telephone sample.
 */
public final class G711 {

    private static final int ULAW_BIAS = 0x84;
    /** Largest 14-bit magnitude μ-law can represent once the bias is added. */
    private static final int ULAW_CLIP = 8159;

    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];

    static {
        for (int code = 0; code < 256; code++) {
            ULAW_TO_LINEAR[code] = decodeUlaw(code);
            ALAW_TO_LINEAR[code] = decodeAlaw(code);
        }
    }

    private G711() {
    }

    public static short ulawToLinear(byte code) {
        return ULAW_TO_LINEAR[code & 0xFF];
    }

    public static short alawToLinear(byte code) {
        return ALAW_TO_LINEAR[code & 0xFF];
    }

    public static byte linearToUlaw(short sample) {
        // μ-law works on 14-bit values; the arithmetic shift makes negatives round towards minus infinity.
        int value = sample >> 2;
        int mask;
        if (value < 0) {
            value = -value;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        value = Math.min(value, ULAW_CLIP) + (ULAW_BIAS >> 2);
        int segment = segmentOf(value, 0x3F);
        if (segment >= 8) {
            return (byte) (0x7F ^ mask);
        }
        return (byte) (((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask);
    }

    public static byte linearToAlaw(short sample) {
        // A-law works on 13-bit values; negatives map to their one's complement magnitude.
        int value = sample >> 3;
        int mask;
        if (value >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            value = -value - 1;
        }
        int segment = segmentOf(value, 0x1F);
        if (segment >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int quantised = (value >> (segment < 2 ? 1 : segment)) & 0x0F;
        return (byte) (((segment << 4) | quantised) ^ mask);
    }

    /** The first of eight segments, whose upper ends double from {@code firstSegmentEnd}, that holds the magnitude. */
    private static int segmentOf(int magnitude, int firstSegmentEnd) {
        int segment = 0;
        for (int end = firstSegmentEnd; segment < 8 && magnitude > end; end = (end << 1) | 1) {
            segment++;
        }
        return segment;
    }

    private static short decodeUlaw(int code) {
        int inverted = ~code & 0xFF;
        int magnitude = (((inverted & 0x0F) << 3) + ULAW_BIAS) << ((inverted & 0x70) >> 4);
        return (short) ((inverted & 0x80) != 0 ? ULAW_BIAS - magnitude : magnitude - ULAW_BIAS);
    }

    private static short decodeAlaw(int code) {
        int toggled = code ^ 0x55;
        int segment = (toggled & 0x70) >> 4;
        int magnitude = ((toggled & 0x0F) << 4) + 8;
        if (segment > 0) {
            magnitude = (magnitude + 0x100) << (segment - 1);
        }
        return (short) ((toggled & 0x80) != 0 ? magnitude : -magnitude);
    }
}
