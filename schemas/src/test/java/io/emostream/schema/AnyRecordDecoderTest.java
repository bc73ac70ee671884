package io.emostream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.schema.codec.AnyRecordDecoder;
import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.codec.SchemaHistory;
import io.emostream.schema.codec.UnreadableRecordException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnyRecordDecoderTest {
    private final AnyRecordDecoder decoder = AnyRecordDecoder.standard();

    static Stream<SpecificRecord> oneOfEachType() {
        return Stream.of(Records.audioChunk(), Records.emotionEvent(), Records.callSummary(), Records.groupSummary(),
                Records.alert(), Records.deadLetter(), Records.streamEnd());
    }

    @Test
    void theTestsCoverEveryRecordType() {
        assertThat(oneOfEachType().map(Object::getClass))
                .containsExactlyInAnyOrderElementsOf(AnyRecordDecoder.RECORD_TYPES);
    }

    @ParameterizedTest
    @MethodSource("oneOfEachType")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void eachTypeIsKnownByItsFingerprintAlone(SpecificRecord record) {
        byte[] bytes = RecordCodec.of((Class) record.getClass()).encode(record);

        SpecificRecord decoded = decoder.decode(bytes);

        assertThat(decoded).isInstanceOf(record.getClass()).isEqualTo(record);
    }

    @Test
    void aRecordAnOlderProducerWroteIsReadWithTodaysDefaults() throws IOException {
        Schema version1 = SchemaHistory.standard().olderVersionsOf("AudioChunk").get(0);
        assertThat(version1.getField("speaker")).as("version 1 predates the speaker field").isNull();
        GenericRecord written = new GenericData.Record(version1);
        written.put("callId", "call-7");
        written.put("channel", 1);
        written.put("role", new GenericData.EnumSymbol(version1.getField("role").schema(), "AGENT"));
        written.put("sequence", 3L);
        written.put("firstSample", 4800L);
        written.put("captureTimeMs", 10L);
        written.put("ingestTimeMs", 11L);
        written.put("sampleRate", 8000);
        written.put("encoding", new GenericData.EnumSymbol(version1.getField("encoding").schema(), "ALAW"));
        written.put("payload", ByteBuffer.wrap(new byte[] {9, 8, 7}));
        written.put("endOfStream", true);
        written.put("source", "file:old.wav");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), version1).encode(written, bytes);

        SpecificRecord decoded = decoder.decode(bytes.toByteArray());

        assertThat(decoded).isInstanceOf(AudioChunk.class);
        AudioChunk chunk = (AudioChunk) decoded;
        assertThat(chunk.getCallId()).isEqualTo("call-7");
        assertThat(chunk.getRole()).isEqualTo(SpeakerRole.AGENT);
        assertThat(chunk.getEncoding()).isEqualTo(AudioEncoding.ALAW);
        assertThat(chunk.getPayload()).isEqualTo(ByteBuffer.wrap(new byte[] {9, 8, 7}));
        assertThat(chunk.getSpeaker()).isNull();
    }

    @Test
    void aForeignValueIsRefusedWithWhatItStartsWith() {
        byte[] text = "hello, world".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.decode(text))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessage("The record is not an emostream record: it lacks Avro's single-object marker c3 01"
                        + " (it starts with 68 65 6c 6c); check what produces to this topic.");
    }

    @Test
    void anUnknownFingerprintIsRefusedAndNamed() {
        ByteBuffer bytes = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put((byte) 0xc3).put((byte) 0x01).putLong(0x0123456789abcdefL).putInt(42);

        assertThatThrownBy(() -> decoder.decode(bytes.array()))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("The record was written with a schema this reader does not know"
                        + " (fingerprint 0123456789abcdef)");
    }

    @Test
    void aCorruptBodyIsNamedWithItsType() {
        byte[] whole = RecordCodec.of(EmotionEvent.class).encode(Records.emotionEvent());
        byte[] cut = Arrays.copyOf(whole, 20);

        assertThatThrownBy(() -> decoder.decode(cut))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("The record is a corrupt EmotionEvent");
    }

    @Test
    void emptyAndCutShortHeadersAreRefused() {
        String empty = "The record is empty, so it is not an emostream record.";
        assertThatThrownBy(() -> decoder.decode(null)).isInstanceOf(UnreadableRecordException.class)
                .hasMessage(empty);
        assertThatThrownBy(() -> decoder.decode(new byte[0])).isInstanceOf(UnreadableRecordException.class)
                .hasMessage(empty);
        assertThatThrownBy(() -> decoder.decode(new byte[] {(byte) 0xc3, 0x01, 0x12}))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("The record is cut short: it has 3 bytes");
    }
}
