package io.emostream.schema.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Earlier versions of each record's schema, so a reader of today's schema can still decode records that older
 * producers wrote. Single-object encoding names the writer's schema only by fingerprint, so the reader must know
 * every schema that was ever published.
 *
 * <p>The index is a classpath text file: one line per older version, {@code RecordName resource-path}, where
 * the resource is the complete, self-contained schema JSON of that version ({@code Schema.toString(true)}).
 */
public final class SchemaHistory {
    public static final String STANDARD_INDEX = "io/emostream/schema/history/index.txt";

    private static final SchemaHistory STANDARD = load(STANDARD_INDEX);

    private final Map<String, List<Schema>> olderVersions;

    private SchemaHistory(Map<String, List<Schema>> olderVersions) {
        this.olderVersions = olderVersions;
    }

    /** The history published with this release of the schemas. */
    public static SchemaHistory standard() {
        return STANDARD;
    }

    public static SchemaHistory load(String indexResource) {
        Map<String, List<Schema>> versions = new HashMap<>();
        try (InputStream index = resource(indexResource);
             BufferedReader lines = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                if (parts.length != 2) {
                    throw new IllegalStateException(indexResource + ": expected 'RecordName resource-path', got '" + line + "'");
                }
                try (InputStream schemaJson = resource(parts[1])) {
                    versions.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(new Schema.Parser().parse(schemaJson));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the schema history " + indexResource, e);
        }
        return new SchemaHistory(versions);
    }

    /** Older writer schemas of the record with this simple name (e.g. "AudioChunk"); empty when there are none. */
    public List<Schema> olderVersionsOf(String recordName) {
        return olderVersions.getOrDefault(recordName, List.of());
    }

    private static InputStream resource(String path) {
        InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("Schema history resource " + path + " is missing from the classpath");
        }
        return in;
    }
}
