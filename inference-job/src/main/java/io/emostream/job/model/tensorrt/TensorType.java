package io.emostream.job.model.tensorrt;

/** The element types an engine's inputs and outputs can have (TensorRT's {@code DataType}), and their size. */
public enum TensorType {
    FLOAT(32), HALF(16), BF16(16), INT8(8), UINT8(8), FP8(8), INT32(32), INT64(64), BOOL(8), INT4(4), FP4(4), E8M0(8);

    private final int bits;

    TensorType(int bits) {
        this.bits = bits;
    }

    /** From TensorRT's name for it, e.g. {@code kFLOAT}. */
    public static TensorType ofTensorRt(String name) {
        return valueOf(name.startsWith("k") ? name.substring(1) : name);
    }

    /** Bytes that many elements take, packed as TensorRT packs them (4-bit types two to a byte). */
    public long bytes(long elements) {
        return (Math.multiplyExact(elements, bits) + 7) / 8;
    }
}
