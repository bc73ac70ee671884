package io.emostream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.schema.codec.AnyRecordDecoder;
import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.codec.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The evolution rule: a reader with the newer schema reads records written with any older published one. */
class SchemaEvolutionTest {
    private static final Map<String, Class<? extends SpecificRecord>> PUBLISHED = AnyRecordDecoder.RECORD_TYPES.stream()
            .collect(Collectors.toMap(Class::getSimpleName, type -> type));

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
    void everyOlderVersionIsReadableByTodaysSchema() {
        SchemaHistory standard = SchemaHistory.standard();
        SchemaHistory standIn = SchemaHistory.load("older-schemas/index.txt");
        assertThat(standIn.olderVersionsOf("AudioChunk")).as("the check below has something to check").isNotEmpty();
        PUBLISHED.forEach((name, type) -> {
            Schema reader = SpecificData.get().getSchema(type);
            List<Schema> writers = new ArrayList<>(standard.olderVersionsOf(name));
            writers.addAll(standIn.olderVersionsOf(name));
            for (Schema writer : writers) {
                SchemaCompatibility.SchemaPairCompatibility result =
                        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
                assertThat(result.getType())
                        .as("%s: today's schema cannot read an older version: %s", name, result.getDescription())
                        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        });
    }

    /**
     * published-fingerprints.txt lists every version ever published, oldest first, and only grows. Today's
     * fingerprint must be on it (so a change is noticed), and every earlier one must be in the schema history (so
     * records written with it stay readable).
     */
    @Test
    void aPublishedSchemaChangesOnlyWithItsOlderVersionKeptInTheHistory() throws IOException {
        Map<String, List<String>> published = new TreeMap<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("published-fingerprints.txt")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\\s+"))
                    .forEach(parts -> published.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]));
        }
        assertThat(published.keySet()).containsExactlyInAnyOrderElementsOf(PUBLISHED.keySet());
        PUBLISHED.forEach((name, type) -> {
            String current = RecordCodec.of(type).fingerprint();
            assertThat(published.get(name))
                    .as("%s changed (fingerprint %s). Keep the old version readable: copy it into the schema history"
                            + " (schemas/src/main/resources/io/emostream/schema/history/index.txt), then append the new"
                            + " fingerprint to schemas/src/test/resources/published-fingerprints.txt", name, current)
                    .contains(current);
            List<String> historical = SchemaHistory.standard().olderVersionsOf(name).stream()
                    .map(schema -> String.format("%016x", SchemaNormalization.parsingFingerprint64(schema)))
                    .toList();
            published.get(name).stream().filter(fingerprint -> !fingerprint.equals(current)).forEach(fingerprint ->
                    assertThat(historical).as("%s version %s was published but is missing from the schema history", name,
                            fingerprint).contains(fingerprint));
        });
    }
}
