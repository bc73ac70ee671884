package io.emostream.schema.kafka;

import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.codec.UnreadableRecordException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Kafka {@link Serde} for one emostream record type in Avro single-object encoding. A null value (a tombstone)
 * passes through as null; bytes that are not a readable record of this type raise a {@link SerializationException}
 * whose message names the topic and the problem.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final RecordCodec<T> codec;

    public AvroSerde(RecordCodec<T> codec) {
        this.codec = codec;
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(RecordCodec.of(type));
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : codec.encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return codec.decode(bytes);
            } catch (UnreadableRecordException e) {
                throw new SerializationException("Topic " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}
