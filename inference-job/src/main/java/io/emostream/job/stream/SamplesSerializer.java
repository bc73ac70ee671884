package io.emostream.job.stream;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Audio samples ({@code float[]}) in Flink's records and state, written as Flink's own float-array serializer
 * writes them (the length, then each sample as big-endian IEEE 754 bits) but a block of samples per call.
 * Flink's serializer makes one {@code writeFloat} call per sample, which a checkpoint stream turns into four
 * one-byte writes: with the open utterances of a few hundred streams in state, checkpoints spent a tenth of a
 * core on it. The bytes being the same, state written by either serializer is read by the other.
 *
 * <p>Holds a scratch buffer, so each thread gets its own copy through {@link #duplicate()}.
 */
public final class SamplesSerializer extends TypeSerializer<float[]> {
    private static final long serialVersionUID = 1L;
    private static final VarHandle SAMPLE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);
    /** Samples per write: 16 KB, so a long utterance costs a few calls and the buffer stays small. */
    private static final int BLOCK = 4096;

    private transient byte[] scratch;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<float[]> duplicate() {
        return new SamplesSerializer();
    }

    @Override
    public float[] createInstance() {
        return new float[0];
    }

    @Override
    public float[] copy(float[] from) {
        return from.clone();
    }

    @Override
    public float[] copy(float[] from, float[] reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(float[] samples, DataOutputView target) throws IOException {
        if (samples == null) {
            throw new NullPointerException("The record must not be null.");
        }
        target.writeInt(samples.length);
        byte[] buffer = scratch();
        for (int from = 0; from < samples.length; from += BLOCK) {
            int count = Math.min(BLOCK, samples.length - from);
            for (int i = 0; i < count; i++) {
                SAMPLE.set(buffer, i * Float.BYTES, samples[from + i]);
            }
            target.write(buffer, 0, count * Float.BYTES);
        }
    }

    @Override
    public float[] deserialize(DataInputView source) throws IOException {
        float[] samples = new float[source.readInt()];
        byte[] buffer = scratch();
        for (int from = 0; from < samples.length; from += BLOCK) {
            int count = Math.min(BLOCK, samples.length - from);
            source.readFully(buffer, 0, count * Float.BYTES);
            for (int i = 0; i < count; i++) {
                samples[from + i] = (float) SAMPLE.get(buffer, i * Float.BYTES);
            }
        }
        return samples;
    }

    @Override
    public float[] deserialize(float[] reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length * Float.BYTES);
    }

    private byte[] scratch() {
        if (scratch == null) {
            scratch = new byte[BLOCK * Float.BYTES];
        }
        return scratch;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SamplesSerializer;
    }

    @Override
    public int hashCode() {
        return SamplesSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<float[]> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Also reads state that Flink's float-array serializer wrote: the bytes are the same. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<float[]> {
        public Snapshot() {
            super(SamplesSerializer::new);
        }

        @Override
        public TypeSerializerSchemaCompatibility<float[]> resolveSchemaCompatibility(TypeSerializerSnapshot<float[]> old) {
            if (old instanceof FloatPrimitiveArraySerializer.FloatPrimitiveArraySerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }
}
