package io.emostream.job.model.tensorrt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.List;

/**
 * Writes a run's audio and mask into an engine's input buffers and reads its outputs back, in the element types the
 * engine declares, little-endian as the GPU lays them out. Buffers are reused between runs, so padding is written
 * as zeros, never assumed.
 */
public final class TensorCodec {
    private static final float[] SILENCE = new float[4096];

    private TensorCodec() {
    }

    /** Row r holds utterance r cut to {@code length} samples, then silence; rows past the utterances are silence. */
    public static void writeAudio(ByteBuffer target, TensorType type, List<float[]> utterances, int rows, int length) {
        requireRoom(target, type, (long) rows * length);
        if (type == TensorType.FLOAT) {
            FloatBuffer out = target.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (int r = 0; r < rows; r++) {
                int used = r < utterances.size() ? Math.min(utterances.get(r).length, length) : 0;
                if (used > 0) {
                    out.put(utterances.get(r), 0, used);
                }
                for (int left = length - used; left > 0; left -= SILENCE.length) {
                    out.put(SILENCE, 0, Math.min(left, SILENCE.length));
                }
            }
        } else if (type == TensorType.HALF) {
            ShortBuffer out = target.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            for (int r = 0; r < rows; r++) {
                float[] samples = r < utterances.size() ? utterances.get(r) : SILENCE;
                int used = r < utterances.size() ? Math.min(samples.length, length) : 0;
                for (int t = 0; t < length; t++) {
                    out.put(t < used ? floatToHalf(samples[t]) : 0);
                }
            }
        } else {
            throw new IllegalStateException("audio input of type " + type + " passed the layout check");
        }
    }

    /** 1 over each row's first {@code used[r]} samples, 0 over the padding and over rows past {@code used}. */
    public static void writeMask(ByteBuffer target, TensorType type, int[] used, int rows, int length) {
        requireRoom(target, type, (long) rows * length);
        ByteBuffer out = target.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            int ones = r < used.length ? Math.min(used[r], length) : 0;
            for (int t = 0; t < length; t++) {
                boolean one = t < ones;
                switch (type) {
                    case FLOAT -> out.putFloat(one ? 1f : 0f);
                    case HALF -> out.putShort(one ? floatToHalf(1f) : 0);
                    case INT32 -> out.putInt(one ? 1 : 0);
                    case INT64 -> out.putLong(one ? 1 : 0);
                    case BOOL -> out.put((byte) (one ? 1 : 0));
                    default -> throw new IllegalStateException("mask input of type " + type + " passed the layout check");
                }
            }
        }
    }

    /** The first {@code rows} rows of a [rows, columns] output as floats. */
    public static float[][] readRows(ByteBuffer source, TensorType type, int rows, int columns) {
        requireRoom(source, type, (long) rows * columns);
        float[][] values = new float[rows][columns];
        if (type == TensorType.FLOAT) {
            FloatBuffer in = source.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (float[] row : values) {
                in.get(row);
            }
        } else if (type == TensorType.HALF) {
            ShortBuffer in = source.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            for (float[] row : values) {
                for (int c = 0; c < columns; c++) {
                    row[c] = halfToFloat(in.get());
                }
            }
        } else {
            throw new IllegalStateException("output of type " + type + " passed the layout check");
        }
        return values;
    }

    /** IEEE 754 binary16 to float, exactly (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(short half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    /** Float to IEEE 754 binary16, rounded to nearest, ties to even; too large becomes infinity. */
    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        int mantissa = bits & 0x7fffff;
        if (((bits >>> 23) & 0xff) == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        if (exponent >= 31) {
            return (short) (sign | 0x7c00);
        }
        if (exponent <= 0) {
            if (exponent < -10) {
                return (short) sign;
            }
            return (short) (sign | roundShift(mantissa | 0x800000, 14 - exponent));
        }
        // A carry out of the mantissa moves to the next exponent, which is the right rounding.
        return (short) (sign | (exponent << 10) + roundShift(mantissa, 13));
    }

    private static int roundShift(int value, int shift) {
        int kept = value >> shift;
        int rest = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        return rest > halfway || (rest == halfway && (kept & 1) != 0) ? kept + 1 : kept;
    }

    private static void requireRoom(ByteBuffer buffer, TensorType type, long elements) {
        if (buffer.remaining() < type.bytes(elements)) {
            throw new IllegalStateException(buffer.remaining() + " bytes cannot hold " + elements + " " + type + " values");
        }
    }
}
