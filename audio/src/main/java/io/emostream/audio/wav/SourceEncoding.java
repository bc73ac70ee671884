package io.emostream.audio.wav;

import io.emostream.audio.SampleEncoding;

/** The sample encodings a WAV file may store, each with how it becomes the encoding {@link WavReader} delivers. */
enum SourceEncoding {
    PCM_U8("PCM 8-bit", 1, SampleEncoding.PCM_S16LE),
    PCM_S16("PCM 16-bit", 2, SampleEncoding.PCM_S16LE),
    PCM_S24("PCM 24-bit", 3, SampleEncoding.PCM_S16LE),
    PCM_S32("PCM 32-bit", 4, SampleEncoding.PCM_S16LE),
    FLOAT32("IEEE float 32-bit", 4, SampleEncoding.PCM_S16LE),
    FLOAT64("IEEE float 64-bit", 8, SampleEncoding.PCM_S16LE),
    MULAW("μ-law", 1, SampleEncoding.MULAW),
    ALAW("A-law", 1, SampleEncoding.ALAW);

    static final String SUPPORTED = "PCM 8/16/24/32-bit, IEEE float 32/64-bit, μ-law and A-law";

    final String description;
    final int bytesPerSample;
    final SampleEncoding delivered;

    SourceEncoding(String description, int bytesPerSample, SampleEncoding delivered) {
        this.description = description;
        this.bytesPerSample = bytesPerSample;
        this.delivered = delivered;
    }

    /** The stored encoding for a format tag and sample size, or null when the pair is not supported. */
    static SourceEncoding of(int formatTag, int bitsPerSample) {
        return switch (formatTag) {
            case WavReader.TAG_PCM -> switch (bitsPerSample) {
                case 8 -> PCM_U8;
                case 16 -> PCM_S16;
                case 24 -> PCM_S24;
                case 32 -> PCM_S32;
                default -> null;
            };
            case WavReader.TAG_IEEE_FLOAT -> bitsPerSample == 32 ? FLOAT32 : bitsPerSample == 64 ? FLOAT64 : null;
            case WavReader.TAG_ALAW -> bitsPerSample == 8 ? ALAW : null;
            case WavReader.TAG_MULAW -> bitsPerSample == 8 ? MULAW : null;
            default -> null;
        };
    }

    /** Writes the delivered form of the sample at {@code from} in {@code source} to {@code to} in {@code target}. */
    void deliver(byte[] source, int from, byte[] target, int to) {
        switch (this) {
            case PCM_U8 -> {
                target[to] = 0;
                target[to + 1] = (byte) (source[from] ^ 0x80);
            }
            // Wider PCM keeps its top 16 bits, which are the two most significant little-endian bytes.
            case PCM_S16, PCM_S24, PCM_S32 -> {
                target[to] = source[from + bytesPerSample - 2];
                target[to + 1] = source[from + bytesPerSample - 1];
            }
            case FLOAT32 -> putS16(target, to, fromFloat(Float.intBitsToFloat(littleEndianInt(source, from))));
            case FLOAT64 -> putS16(target, to, fromFloat(Double.longBitsToDouble(
                    (littleEndianInt(source, from) & 0xFFFFFFFFL) | (long) littleEndianInt(source, from + 4) << 32)));
            case MULAW, ALAW -> target[to] = source[from];
        }
    }

    private static int fromFloat(double value) {
        if (Double.isNaN(value)) {
            return 0;
        }
        double scaled = Math.max(-1.0, Math.min(1.0, value)) * 32767.0;
        return (int) Math.copySign(Math.floor(Math.abs(scaled) + 0.5), scaled);
    }

    private static int littleEndianInt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16 | bytes[at + 3] << 24;
    }

    private static void putS16(byte[] target, int at, int value) {
        target[at] = (byte) value;
        target[at + 1] = (byte) (value >> 8);
    }
}
