package io.emostream.audio.wav;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes WAV files byte by byte, so that each test states exactly the header it means. */
final class WavBytes {

    static final int PCM = 0x0001;
    static final int IEEE_FLOAT = 0x0003;
    static final int ALAW = 0x0006;
    static final int MULAW = 0x0007;
    static final int IMA_ADPCM = 0x0011;
    static final int EXTENSIBLE = 0xFFFE;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean riffSizeFromLength;

    /** A RIFF/WAVE header whose RIFF size will match the finished file. */
    static WavBytes riff() {
        WavBytes bytes = riff(0);
        bytes.riffSizeFromLength = true;
        return bytes;
    }

    /** A RIFF/WAVE header with a given RIFF size, such as the placeholders pipe writers use. */
    static WavBytes riff(long riffSize) {
        return new WavBytes().ascii("RIFF").le(riffSize, 4).ascii("WAVE");
    }

    /** A plain 16-byte 'fmt ' chunk with a consistent block alignment and byte rate. */
    WavBytes fmt(int tag, int channels, int sampleRate, int bits) {
        return fmt(tag, channels, sampleRate, channels * bits / 8, bits, new byte[0]);
    }

    /** A 'fmt ' chunk with every field given, and {@code extension} after the 16 standard bytes. */
    WavBytes fmt(int tag, int channels, int sampleRate, int blockAlign, int bits, byte[] extension) {
        return chunk("fmt ", new WavBytes().le(tag, 2).le(channels, 2).le(sampleRate, 4)
                .le((long) sampleRate * blockAlign, 4).le(blockAlign, 2).le(bits, 2).raw(extension).toByteArray());
    }

    /** A WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk whose sub-format GUID stands for {@code subFormatTag}. */
    WavBytes extensibleFmt(int subFormatTag, int channels, int sampleRate, int bits) {
        byte[] extension = new WavBytes().le(22, 2).le(bits, 2).le(0, 4)
                .le(subFormatTag, 4).raw(0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71)
                .toByteArray();
        return fmt(EXTENSIBLE, channels, sampleRate, channels * bits / 8, bits, extension);
    }

    /** A complete chunk, followed by the pad byte RIFF requires after an odd size. */
    WavBytes chunk(String id, byte[] body) {
        ascii(id).le(body.length, 4).raw(body);
        return body.length % 2 == 1 ? raw(0) : this;
    }

    /** The 'data' chunk header alone, declaring {@code size} bytes whatever follows. */
    WavBytes dataHeader(long size) {
        return ascii("data").le(size, 4);
    }

    WavBytes data(byte[] samples) {
        return dataHeader(samples.length).raw(samples);
    }

    WavBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    WavBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    WavBytes ascii(String text) {
        return raw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code value} in {@code count} little-endian bytes. */
    WavBytes le(long value, int count) {
        for (int i = 0; i < count; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    byte[] toByteArray() {
        byte[] bytes = out.toByteArray();
        if (riffSizeFromLength) {
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, bytes.length - 8);
        }
        return bytes;
    }

    /** The bytes as a pipe delivers them: a few at a time, with no way to skip or see what is available. */
    InputStream asPipe() {
        return pipe(toByteArray());
    }

    static InputStream pipe(byte[] bytes) {
        return new InputStream() {
            private int position;

            @Override
            public int read() {
                return position < bytes.length ? bytes[position++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] target, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                if (position == bytes.length) {
                    return -1;
                }
                int count = Math.min(Math.min(length, 1 + position % 3), bytes.length - position);
                System.arraycopy(bytes, position, target, offset, count);
                position += count;
                return count;
            }

            @Override
            public long skip(long count) throws IOException {
                throw new IOException("Illegal seek");
            }
        };
    }

    static byte[] shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return buffer.array();
    }

    static byte[] int24s(int... values) {
        WavBytes bytes = new WavBytes();
        for (int value : values) {
            bytes.le(value, 3);
        }
        return bytes.toByteArray();
    }

    static byte[] ints(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }

    static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    static byte[] doubles(double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return buffer.array();
    }
}
