package io.emostream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.codec.UnreadableRecordException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
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

    @Test
    void aForgedStringLengthIsRefusedAsCorruptWithoutAllocatingIt() {
        // Found by RecordCodecFuzzTest: a string length above 2^31 escaped as Avro's UnsupportedOperationException,
        // and one just below it made Avro allocate 2 GiB before finding the bytes missing.
        byte[] header = Arrays.copyOf(RecordCodec.of(AudioChunk.class).encode(Records.audioChunk()), 10);
        for (long length : new long[] {1L << 32, Integer.MAX_VALUE - 8}) {
            byte[] forged = withZigZagVarint(header, length);

            assertThatThrownBy(() -> RecordCodec.of(AudioChunk.class).decode(forged))
                    .isInstanceOf(UnreadableRecordException.class)
                    .hasMessageContaining("corrupt AudioChunk (a string says it has " + length + " bytes where 0 are left)");
        }
    }

    @Test
    void aForgedArrayCountIsRefusedAsCorruptWithoutAllocatingItsSlots() {
        // Found by RecordCodecFuzzTest: an array count above 2^31 escaped as Avro's UnsupportedOperationException, and
        // Avro sizes an array by the count in front of it, 16 GiB of slots for one just below.
        Alert noEvidence = Alert.newBuilder(Records.alert()).setEvidence(List.of()).build();
        byte[] empty = RecordCodec.of(Alert.class).encode(noEvidence);
        for (long count : new long[] {1L << 32, Integer.MAX_VALUE - 8}) {
            // The evidence array is the last field: its empty form ends in a single 0 (no more blocks).
            byte[] forged = withZigZagVarint(Arrays.copyOf(empty, empty.length - 1), count);

            assertThatThrownBy(() -> RecordCodec.of(Alert.class).decode(forged))
                    .isInstanceOf(UnreadableRecordException.class)
                    .hasMessageContaining("corrupt Alert (an array says it has " + count + " items where 0 bytes are left)");
        }
    }

    private static byte[] withZigZagVarint(byte[] prefix, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        for (long zigZag = value << 1; ; zigZag >>>= 7) {
            if ((zigZag & ~0x7fL) == 0) {
                out.write((int) zigZag);
                return out.toByteArray();
            }
            out.write((int) (zigZag & 0x7f) | 0x80);
        }
    }
}
