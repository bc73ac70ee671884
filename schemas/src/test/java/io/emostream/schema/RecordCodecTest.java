package io.emostream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.codec.UnreadableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordCodecTest {

    static Stream<SpecificRecord> everyRecord() {
        return Stream.of(Records.audioChunk(), Records.emotionEvent(), Records.callSummary(), Records.groupSummary(),
                Records.alert(), Records.deadLetter(), Records.streamEnd());
    }

    @ParameterizedTest
    @MethodSource("everyRecord")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyRecordRoundTripsWithItsFingerprintInFront(SpecificRecord record) {
        RecordCodec codec = RecordCodec.of(record.getClass());

        byte[] bytes = codec.encode(record);

        assertThat(bytes[0]).isEqualTo((byte) 0xc3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(codec.decode(bytes)).isEqualTo(record);
    }

    @Test
    void aRecordOfAnotherTypeIsRefusedByFingerprint() {
        byte[] event = RecordCodec.of(EmotionEvent.class).encode(Records.emotionEvent());

        assertThatThrownBy(() -> RecordCodec.of(AudioChunk.class).decode(event))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("version of the AudioChunk schema this reader does not know")
                .hasMessageContaining(RecordCodec.of(EmotionEvent.class).fingerprint());
    }

    @Test
    void bytesThatAreNotSingleObjectEncodedAreRefusedWithWhatTheyStartWith() {
        byte[] json = "{\"callId\":\"x\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RecordCodec.of(AudioChunk.class).decode(json))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("lacks Avro's single-object marker")
                .hasMessageContaining("7b 22 63 61");
    }

    @Test
    void aTruncatedRecordIsReportedAsCorrupt() {
        byte[] whole = RecordCodec.of(AudioChunk.class).encode(Records.audioChunk());
        byte[] cut = Arrays.copyOf(whole, 14);

        assertThatThrownBy(() -> RecordCodec.of(AudioChunk.class).decode(cut))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("corrupt AudioChunk");
    }

    @Test
    void anEmptyRecordIsRefused() {
        assertThatThrownBy(() -> RecordCodec.of(AudioChunk.class).decode(new byte[0]))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("empty");
    }
}
