package io.emostream.job.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.job.analysis.LabelledUtterance;
import io.emostream.job.segment.SegmentationState;
import io.emostream.job.segment.Utterance;
import java.lang.reflect.Field;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SamplesSerializerTest {

    private static float[] samples(int length, long seed) {
        Random random = new Random(seed);
        float[] samples = new float[length];
        for (int i = 0; i < length; i++) {
            samples[i] = (float) random.nextGaussian();
        }
        return samples;
    }

    private static <T> byte[] bytes(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void writesTheBytesFlinksFloatArraySerializerWritesAndReadsThemBack() throws Exception {
        SamplesSerializer serializer = new SamplesSerializer();
        // Around the block of 4096 samples, and the values whose bits are easiest to get wrong.
        for (int length : new int[] {0, 1, 4095, 4096, 4097, 20_000}) {
            float[] original = samples(length, length);
            if (length > 0) {
                original[0] = Float.NaN;
                original[length - 1] = -0.0f;
            }
            byte[] ours = bytes(serializer, original);
            assertThat(ours).as("%d samples", length).isEqualTo(bytes(FloatPrimitiveArraySerializer.INSTANCE, original));
            assertThat(serializer.deserialize(new DataInputDeserializer(ours))).isEqualTo(original);
            float[] viaFlink = FloatPrimitiveArraySerializer.INSTANCE.deserialize(new DataInputDeserializer(ours));
            assertThat(IntStream.range(0, length).allMatch(i -> Float.floatToRawIntBits(viaFlink[i])
                    == Float.floatToRawIntBits(original[i]))).isTrue();

            DataOutputSerializer copied = new DataOutputSerializer(ours.length);
            serializer.copy(new DataInputDeserializer(ours), copied);
            assertThat(copied.getCopyOfBuffer()).isEqualTo(ours);
        }
    }

    @Test
    void copiesAreIndependentAndNullIsRefused() {
        SamplesSerializer serializer = new SamplesSerializer();
        float[] original = samples(10, 1);
        float[] copy = serializer.copy(original);
        copy[0] = 99;
        assertThat(original[0]).isNotEqualTo(99);
        assertThat(serializer.duplicate()).isNotSameAs(serializer).isEqualTo(serializer);
        assertThatThrownBy(() -> serializer.serialize(null, new DataOutputSerializer(8))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theAudioFieldsOfRecordsAndStateUseIt() {
        assertThat(fieldType(AudioBlock.class, "samples")).isInstanceOf(SamplesTypeInfo.class);
        assertThat(fieldType(Utterance.class, "samples")).isInstanceOf(SamplesTypeInfo.class);
        assertThat(fieldType(LabelledUtterance.class, "samples")).isInstanceOf(SamplesTypeInfo.class);
        assertThat(fieldType(StreamState.class, "resamplerPending")).isInstanceOf(SamplesTypeInfo.class);
        assertThat(fieldType(SegmentationState.class, "partial")).isInstanceOf(SamplesTypeInfo.class);
        PojoTypeInfo<?> segmentation = (PojoTypeInfo<?>) TypeInformation.of(SegmentationState.class);
        PojoTypeInfo<?> segmenter = (PojoTypeInfo<?>) segmentation.getTypeAt(segmentation.getFieldIndex("segmenter"));
        assertThat(segmenter.getTypeAt(segmenter.getFieldIndex("audio"))).isInstanceOf(SamplesTypeInfo.class);
        PojoTypeInfo<?> vad = (PojoTypeInfo<?>) segmentation.getTypeAt(segmentation.getFieldIndex("vad"));
        assertThat(vad.getTypeAt(vad.getFieldIndex("context"))).isInstanceOf(SamplesTypeInfo.class);
        assertThat(vad.getTypeAt(vad.getFieldIndex("recurrentState"))).isInstanceOf(SamplesTypeInfo.class);
    }

    private static TypeInformation<?> fieldType(Class<?> pojo, String field) {
        TypeInformation<?> type = TypeInformation.of(pojo);
        assertThat(type).as(pojo.getSimpleName() + " is a Flink POJO").isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<?> info = (PojoTypeInfo<?>) type;
        return info.getTypeAt(info.getFieldIndex(field));
    }

    /**
     * A stream's state written before this serializer existed (Flink's float-array serializer in the same POJO) is
     * declared compatible as it is, and reads back sample for sample.
     */
    @Test
    @SuppressWarnings("unchecked")
    void stateWrittenWithFlinksSerializerRestores() throws Exception {
        PojoTypeInfo<AudioBlock> info = (PojoTypeInfo<AudioBlock>) TypeInformation.of(AudioBlock.class);
        PojoSerializer<AudioBlock> current = (PojoSerializer<AudioBlock>) info.createSerializer(new SerializerConfigImpl());
        Field[] fields = new Field[info.getArity()];
        TypeSerializer<?>[] before = new TypeSerializer<?>[fields.length];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = info.getPojoFieldAt(i).getField();
            TypeInformation<?> type = info.getPojoFieldAt(i).getTypeInformation();
            before[i] = type instanceof SamplesTypeInfo
                    ? FloatPrimitiveArraySerializer.INSTANCE : type.createSerializer(new SerializerConfigImpl());
        }
        PojoSerializer<AudioBlock> earlier = new PojoSerializer<>(AudioBlock.class, before, fields, new SerializerConfigImpl());

        DataOutputSerializer written = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(written, earlier.snapshotConfiguration());
        TypeSerializerSnapshot<AudioBlock> earlierSnapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(written.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<AudioBlock> compatibility =
                current.snapshotConfiguration().resolveSchemaCompatibility(earlierSnapshot);
        assertThat(compatibility.isCompatibleAsIs()).as(compatibility.toString()).isTrue();

        AudioBlock block = new AudioBlock();
        block.callId = "call-1";
        block.startSample = 16_000;
        block.samples = samples(5000, 9);
        AudioBlock restored = current.deserialize(new DataInputDeserializer(bytes(earlier, block)));
        assertThat(restored.samples).isEqualTo(block.samples);
        assertThat(restored.callId).isEqualTo("call-1");
        assertThat(restored.startSample).isEqualTo(16_000);
    }
}
