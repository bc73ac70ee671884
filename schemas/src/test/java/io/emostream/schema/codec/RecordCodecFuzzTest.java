package io.emostream.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Any bytes given to the codec of each topic's record type are a record or one sentence saying why not, never another
 * exception, a hang or an allocation the bytes cannot fill. A record read re-encodes to bytes that read back to the
 * same record, and only one type reads it: the one {@link AnyRecordDecoder} finds by fingerprint. Records are compared
 * by their encoding, as a record holding NaN is not equal to itself in Avro's eyes. The unit tests run the seeds and
 * past findings (in {@code src/test/resources/.../RecordCodecFuzzTestInputs}); {@code bin/fuzz} fuzzes it for a while.
 */
class RecordCodecFuzzTest {
    private static final List<RecordCodec<?>> CODECS =
            AnyRecordDecoder.RECORD_TYPES.stream().<RecordCodec<?>>map(RecordCodec::of).toList();

    @FuzzTest
    void anyBytesAreARecordOrOneSentence(byte[] bytes) {
        RecordCodec<?> reader = null;
        byte[] read = null;
        for (RecordCodec<?> codec : CODECS) {
            SpecificRecord record = decodedOrNull(codec, bytes);
            if (record != null) {
                assertThat(reader).as("a record readable as two types").isNull();
                reader = codec;
                read = encoded(codec, record);
                assertThat(encoded(codec, codec.decode(read))).isEqualTo(read);
            }
        }
        SpecificRecord any;
        try {
            any = AnyRecordDecoder.standard().decode(bytes);
        } catch (UnreadableRecordException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
            any = null;
        }
        if (reader == null) {
            assertThat(any).isNull();
        } else {
            assertThat(any).isNotNull();
            assertThat(any.getSchema().getFullName()).isEqualTo(reader.schema().getFullName());
            assertThat(encoded(reader, any)).isEqualTo(read);
        }
    }

    private static SpecificRecord decodedOrNull(RecordCodec<?> codec, byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (UnreadableRecordException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encoded(RecordCodec<T> codec, SpecificRecord record) {
        return codec.encode((T) record);
    }
}
