package io.emostream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.codec.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The evolution rule: a reader with the newer schema reads records written with any older published one. */
class SchemaEvolutionTest {
    private static final Map<String, Class<? extends SpecificRecord>> PUBLISHED = Map.of(
            "AudioChunk", AudioChunk.class,
            "EmotionEvent", EmotionEvent.class,
            "CallSummary", CallSummary.class,
            "Alert", Alert.class,
            "DeadLetter", DeadLetter.class);

    @Test
    void aNewerReaderFillsDefaultsIntoARecordAnOlderProducerWrote() throws IOException {
        SchemaHistory history = SchemaHistory.load("older-schemas/index.txt");
        Schema older = history.olderVersionsOf("AudioChunk").get(0);
        GenericRecord written = new GenericData.Record(older);
        written.put("callId", "call-7");
        written.put("channel", 0);
        written.put("sequence", 3L);
        written.put("firstSample", 4800L);
        written.put("captureTimeMs", 10L);
        written.put("ingestTimeMs", 11L);
        written.put("sampleRate", 16000);
        written.put("encoding", new GenericData.EnumSymbol(older.getField("encoding").schema(), "PCM_S16LE"));
        written.put("payload", ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(written, bytes);

        AudioChunk read = RecordCodec.of(AudioChunk.class, history).decode(bytes.toByteArray());

        assertThat(read.getCallId()).isEqualTo("call-7");
        assertThat(read.getFirstSample()).isEqualTo(4800L);
        assertThat(read.getPayload()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        assertThat(read.getRole()).isEqualTo(SpeakerRole.UNKNOWN);
        assertThat(read.getEndOfStream()).isFalse();
        assertThat(read.getSource()).isEmpty();
    }

    @Test
    void everyPublishedOlderVersionIsReadableByTodaysSchema() {
        SchemaHistory history = SchemaHistory.standard();
        PUBLISHED.forEach((name, type) -> {
            Schema reader = SpecificData.get().getSchema(type);
            for (Schema writer : history.olderVersionsOf(name)) {
                SchemaCompatibility.SchemaPairCompatibility result =
                        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
                assertThat(result.getType())
                        .as("%s: today's schema cannot read an older version: %s", name, result.getDescription())
                        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        });
    }

    @Test
    void aPublishedSchemaChangesOnlyWithItsOlderVersionKeptInTheHistory() throws IOException {
        Map<String, String> recorded;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("published-fingerprints.txt")) {
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\\s+"))
                    .collect(Collectors.toMap(parts -> parts[0], parts -> parts[1], (a, b) -> b, TreeMap::new));
        }
        Map<String, String> actual = new TreeMap<>();
        PUBLISHED.forEach((name, type) -> actual.put(name, RecordCodec.of(type).fingerprint()));

        assertThat(actual)
                .as("A published schema changed. Keep the old version readable: copy it into the schema history"
                        + " (see schemas/src/main/resources/io/emostream/schema/history/index.txt), then record"
                        + " the new fingerprints in schemas/src/test/resources/published-fingerprints.txt")
                .isEqualTo(recorded);
    }
}
