package io.emostream.job.source;

import io.emostream.schema.AudioChunk;
import io.emostream.schema.DeadLetter;
import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.codec.UnreadableRecordException;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads {@link AudioChunk}s from Kafka and never fails the job on bad bytes: a record that is not a readable
 * chunk becomes a {@link DeadLetter} holding the reason, its topic, partition and offset, and its original bytes.
 */
public final class ChunkDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {
    private static final long serialVersionUID = 1L;
    static final String STAGE = "inference-job/decode";

    private transient RecordCodec<AudioChunk> codec;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = RecordCodec.of(AudioChunk.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        if (record.value() == null) {
            out.collect(SourceRecord.unreadable(deadLetter(record, "The record has no value (a tombstone), so it is"
                    + " not audio; nothing should delete records on an audio topic.")));
            return;
        }
        try {
            out.collect(SourceRecord.of(codec.decode(record.value()), record.topic(), record.partition(), record.offset()));
        } catch (UnreadableRecordException e) {
            out.collect(SourceRecord.unreadable(deadLetter(record, e.getMessage())));
        }
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }

    private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        return DeadLetter.newBuilder()
                .setReason(reason)
                .setStage(STAGE)
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setFailedAtMs(System.currentTimeMillis())
                .build();
    }
}
