package io.emostream.schema.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one record type: a two-byte marker, the 8-byte fingerprint of the writer's
 * schema, then the binary record. The fingerprint lets a reader refuse records of a schema it does not know
 * instead of misreading them, and lets it resolve records written with an older version of the schema.
 *
 * <p>Thread-safe: Avro keeps its encoder buffers per thread, its datum readers keep nothing of a read, and each
 * decode has a decoder of its own.
 */
public final class RecordCodec<T extends SpecificRecord> {
    private static final int HEADER_BYTES = 10;

    private final String recordName;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    /** By the writer's fingerprint: a reader from that schema, today's or an older one, to today's. */
    private final Map<Long, DatumReader<T>> readers;

    private RecordCodec(Class<T> type, SchemaHistory history) {
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.recordName = schema.getName();
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        Map<Long, DatumReader<T>> byWriter = new HashMap<>();
        List<Schema> writers = new ArrayList<>(history.olderVersionsOf(recordName));
        writers.add(schema);
        for (Schema writer : writers) {
            byWriter.put(SchemaNormalization.parsingFingerprint64(writer), new SpecificDatumReader<>(writer, schema, model));
        }
        this.readers = Map.copyOf(byWriter);
    }

    /** A codec that reads the current schema and every older version in the standard history. */
    public static <T extends SpecificRecord> RecordCodec<T> of(Class<T> type) {
        return new RecordCodec<>(type, SchemaHistory.standard());
    }

    public static <T extends SpecificRecord> RecordCodec<T> of(Class<T> type, SchemaHistory history) {
        return new RecordCodec<>(type, history);
    }

    public Schema schema() {
        return schema;
    }

    /** The CRC-64-AVRO fingerprint written in front of every record, as 16 hex digits. */
    public String fingerprint() {
        return fingerprintOf(schema);
    }

    static String fingerprintOf(Schema schema) {
        return String.format("%016x", SchemaNormalization.parsingFingerprint64(schema));
    }

    public byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encoder.encode(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** @throws UnreadableRecordException with one sentence naming what is wrong with the bytes */
    public T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableRecordException("The record is empty, so it is not an emostream " + recordName + ".", null);
        }
        if (bytes.length < 2 || bytes[0] != (byte) 0xc3 || bytes[1] != 0x01) {
            throw new UnreadableRecordException("The record is not an emostream " + recordName
                    + ": it lacks Avro's single-object marker c3 01 (it starts with " + firstBytes(bytes)
                    + "); check that its producer writes with emostream's serializer.", null);
        }
        if (bytes.length < HEADER_BYTES) {
            throw new UnreadableRecordException("The record is cut short: it has " + bytes.length + " bytes, fewer than"
                    + " the " + HEADER_BYTES + " of a single-object header with its schema fingerprint.", null);
        }
        DatumReader<T> reader = readers.get(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        if (reader == null) {
            throw new UnreadableRecordException("The record was written with a version of the " + recordName
                    + " schema this reader does not know (fingerprint " + writerFingerprint(bytes) + "); if a newer"
                    + " emostream wrote it, upgrade this reader, otherwise check what produces to this topic.", null);
        }
        try {
            return reader.read(null, new BoundedDecoder(
                    DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null)));
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new UnreadableRecordException("The record is a corrupt " + recordName + " (" + e.getMessage()
                    + "); it was truncated or altered after it was written.", e);
        }
    }

    static String firstBytes(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(bytes.length, 4));
    }

    /** The writer's fingerprint in front of single-object encoded bytes, as {@link #fingerprint()} writes it. */
    static String writerFingerprint(byte[] bytes) {
        // The fingerprint is stored little-endian after the two marker bytes.
        StringBuilder hex = new StringBuilder(16);
        for (int i = 9; i >= 2 && i < bytes.length; i--) {
            hex.append(String.format("%02x", bytes[i]));
        }
        return hex.toString();
    }
}
