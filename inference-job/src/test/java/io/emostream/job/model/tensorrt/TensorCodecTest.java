package io.emostream.job.model.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorCodecTest {

    /** A reused buffer full of leftovers from an earlier run. */
    private static ByteBuffer dirty(int bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            buffer.put((byte) 0x7f);
        }
        return buffer.clear();
    }

    @Test
    void audioRowsAreTheUtterancesCutToTheRunThenSilenceAndPaddingRowsAreSilent() {
        ByteBuffer buffer = dirty(3 * 4 * 4);
        TensorCodec.writeAudio(buffer, TensorType.FLOAT, List.of(new float[] {0.5f, -0.25f}, new float[] {1f, 2f, 3f, 4f, 5f}), 3, 4);

        float[] written = new float[12];
        buffer.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(written);
        assertThat(written).containsExactly(0.5f, -0.25f, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0);
    }

    @Test
    void audioInHalfPrecisionIsRoundedToTheNearestHalf() {
        ByteBuffer buffer = dirty(2 * 3 * 2).order(ByteOrder.LITTLE_ENDIAN);
        TensorCodec.writeAudio(buffer, TensorType.HALF, List.of(new float[] {1f, 0.1f}), 2, 3);

        short[] written = new short[6];
        buffer.asShortBuffer().get(written);
        assertThat(written).containsExactly((short) 0x3c00, (short) 0x2e66, (short) 0, (short) 0, (short) 0, (short) 0);
    }

    @Test
    void theMaskIsOneOverEachUtteranceInEveryTypeAModelMayTakeIt() {
        int[] used = {2, 3};
        ByteBuffer longs = dirty(3 * 4 * 8).order(ByteOrder.LITTLE_ENDIAN);
        TensorCodec.writeMask(longs, TensorType.INT64, used, 3, 4);
        long[] asLongs = new long[12];
        longs.asLongBuffer().get(asLongs);
        assertThat(asLongs).containsExactly(1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0);

        ByteBuffer ints = dirty(2 * 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
        TensorCodec.writeMask(ints, TensorType.INT32, used, 2, 4);
        int[] asInts = new int[8];
        ints.asIntBuffer().get(asInts);
        assertThat(asInts).containsExactly(1, 1, 0, 0, 1, 1, 1, 0);

        ByteBuffer floats = dirty(2 * 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
        TensorCodec.writeMask(floats, TensorType.FLOAT, used, 2, 4);
        float[] asFloats = new float[8];
        floats.asFloatBuffer().get(asFloats);
        assertThat(asFloats).containsExactly(1, 1, 0, 0, 1, 1, 1, 0);

        ByteBuffer bools = dirty(2 * 4);
        TensorCodec.writeMask(bools, TensorType.BOOL, used, 2, 4);
        assertThat(bools.array()).containsExactly(1, 1, 0, 0, 1, 1, 1, 0);

        ByteBuffer halves = dirty(2 * 4 * 2).order(ByteOrder.LITTLE_ENDIAN);
        TensorCodec.writeMask(halves, TensorType.HALF, used, 2, 4);
        short[] asHalves = new short[8];
        halves.asShortBuffer().get(asHalves);
        assertThat(asHalves).containsExactly((short) 0x3c00, (short) 0x3c00, (short) 0, (short) 0, (short) 0x3c00,
                (short) 0x3c00, (short) 0x3c00, (short) 0);
    }

    @Test
    void outputsAreReadRowByRowInFloatOrHalf() {
        ByteBuffer floats = ByteBuffer.allocate(3 * 2 * 4).order(ByteOrder.LITTLE_ENDIAN);
        floats.asFloatBuffer().put(new float[] {1, 2, 3, 4, 5, 6});
        assertThat(TensorCodec.readRows(floats, TensorType.FLOAT, 2, 2)).isDeepEqualTo(new float[][] {{1, 2}, {3, 4}});

        ByteBuffer halves = ByteBuffer.allocate(2 * 2).order(ByteOrder.LITTLE_ENDIAN);
        halves.asShortBuffer().put(new short[] {(short) 0xc000, (short) 0x3555});
        assertThat(TensorCodec.readRows(halves, TensorType.HALF, 1, 2)).isDeepEqualTo(new float[][] {{-2f, 0.33325195f}});
    }

    @Test
    void aBufferTooSmallForTheRunIsOurBug() {
        assertThatThrownBy(() -> TensorCodec.writeAudio(ByteBuffer.allocate(15), TensorType.FLOAT, List.of(), 2, 2))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void halfPrecisionConversionMatchesIeee754ForEveryHalf() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            short half = (short) bits;
            float value = TensorCodec.halfToFloat(half);
            if (Float.isNaN(value)) {
                assertThat((bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0).isTrue();
                continue;
            }
            assertThat(TensorCodec.floatToHalf(value)).as("0x%04x", bits).isEqualTo(half);
        }
        assertThat(TensorCodec.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(TensorCodec.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(TensorCodec.halfToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(TensorCodec.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        // Halfway cases round to the even half; beyond the largest half is infinity.
        assertThat(TensorCodec.floatToHalf(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(TensorCodec.floatToHalf(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
        assertThat(TensorCodec.floatToHalf(65520f)).isEqualTo((short) 0x7c00);
        assertThat(TensorCodec.floatToHalf(0x1p-26f)).isEqualTo((short) 0);
        assertThat(TensorCodec.floatToHalf(Float.NaN) & 0x7c00).isEqualTo(0x7c00);
        assertThat(Arrays.asList(TensorType.values())).contains(TensorType.ofTensorRt("kFLOAT"), TensorType.ofTensorRt("kINT64"));
        assertThat(TensorType.INT4.bytes(3)).isEqualTo(2);
    }
}
