package io.emostream.schema.flink;

import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.codec.UnreadableRecordException;
import java.io.IOException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Flink (de)serialization of one emostream record type in Avro single-object encoding, for Kafka sources and
 * sinks. Records travel between operators with Flink's Avro serializer ({@link AvroTypeInfo}), not Kryo.
 * Unreadable bytes raise an {@link IOException} whose message says what is wrong.
 */
public final class AvroRecordSchema<T extends SpecificRecordBase> implements SerializationSchema<T>, DeserializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient RecordCodec<T> codec;

    public AvroRecordSchema(Class<T> type) {
        this.type = type;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context) {
        codec();
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec();
    }

    @Override
    public byte[] serialize(T record) {
        return codec().encode(record);
    }

    @Override
    public T deserialize(byte[] bytes) throws IOException {
        try {
            return codec().decode(bytes);
        } catch (UnreadableRecordException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public boolean isEndOfStream(T next) {
        return false;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(type);
    }

    private RecordCodec<T> codec() {
        if (codec == null) {
            codec = RecordCodec.of(type);
        }
        return codec;
    }
}
