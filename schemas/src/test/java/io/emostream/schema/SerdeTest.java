package io.emostream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.schema.flink.AvroRecordSchema;
import io.emostream.schema.kafka.AvroSerde;
import java.io.IOException;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SerdeTest {

    @Test
    void kafkaSerdeRoundTripsAndPassesTombstonesThrough() {
        AvroSerde<AudioChunk> serde = AvroSerde.of(AudioChunk.class);
        AudioChunk chunk = Records.audioChunk();

        byte[] bytes = serde.serializer().serialize(Topics.AUDIO_CHUNKS, chunk);

        assertThat(serde.deserializer().deserialize(Topics.AUDIO_CHUNKS, bytes)).isEqualTo(chunk);
        assertThat(serde.serializer().serialize(Topics.AUDIO_CHUNKS, null)).isNull();
        assertThat(serde.deserializer().deserialize(Topics.AUDIO_CHUNKS, null)).isNull();
    }

    @Test
    void kafkaDeserializerNamesTheTopicWhenARecordIsOfAnotherSchema() {
        byte[] event = AvroSerde.of(EmotionEvent.class).serializer().serialize("x", Records.emotionEvent());

        assertThatThrownBy(() -> AvroSerde.of(AudioChunk.class).deserializer().deserialize("audio.chunks", event))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Topic audio.chunks: The record was written with a version of the AudioChunk schema");
    }

    @Test
    void flinkSchemaRoundTripsAndUsesFlinksAvroTypeInformation() throws IOException {
        AvroRecordSchema<EmotionEvent> schema = new AvroRecordSchema<>(EmotionEvent.class);
        EmotionEvent event = Records.emotionEvent();

        assertThat(schema.deserialize(schema.serialize(event))).isEqualTo(event);
        assertThat(schema.getProducedType()).isInstanceOf(AvroTypeInfo.class);
    }

    @Test
    void flinkSchemaReadsTheSameBytesAsTheKafkaSerde() throws IOException {
        byte[] fromKafka = AvroSerde.of(AudioChunk.class).serializer().serialize("t", Records.audioChunk());

        assertThat(new AvroRecordSchema<>(AudioChunk.class).deserialize(fromKafka)).isEqualTo(Records.audioChunk());
    }

    @Test
    void flinkSchemaRefusesGarbageWithAnIOExceptionSayingWhy() {
        assertThatThrownBy(() -> new AvroRecordSchema<>(AudioChunk.class).deserialize(new byte[] {1, 2, 3}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("lacks Avro's single-object marker");
    }
}
