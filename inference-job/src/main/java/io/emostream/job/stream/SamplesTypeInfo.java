package io.emostream.job.stream;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type for audio samples, serialized by {@link SamplesSerializer}. A {@code float[]} field of a Flink POJO
 * takes it with {@code @TypeInfo(SamplesTypeInfo.Factory.class)}.
 */
public final class SamplesTypeInfo extends TypeInformation<float[]> {
    private static final long serialVersionUID = 1L;

    /** What the {@code @TypeInfo} annotation names. */
    public static final class Factory extends TypeInfoFactory<float[]> {
        @Override
        public TypeInformation<float[]> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new SamplesTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<float[]> getTypeClass() {
        return float[].class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<float[]> createSerializer(SerializerConfig config) {
        return new SamplesSerializer();
    }

    @Override
    public String toString() {
        return "audio samples (float[])";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SamplesTypeInfo;
    }

    @Override
    public int hashCode() {
        return SamplesTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof SamplesTypeInfo;
    }
}
