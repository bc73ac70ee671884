package io.emostream.schema.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one record type: a two-byte marker, the 8-byte fingerprint of the writer's
 * schema, then the binary record. The fingerprint lets a reader refuse records of a schema it does not know
 * instead of misreading them, and lets it resolve records written with an older version of the schema.
 *
 * <p>Thread-safe: Avro keeps its encoder and decoder buffers per thread.
 */
public final class RecordCodec<T extends SpecificRecord> {
    private final String recordName;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private RecordCodec(Class<T> type, SchemaHistory history) {
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.recordName = schema.getName();
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        history.olderVersionsOf(recordName).forEach(decoder::addSchema);
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
        try {
            return decoder.decode(bytes);
        } catch (BadHeaderException e) {
            throw new UnreadableRecordException("The record is not an emostream " + recordName
                    + ": it lacks Avro's single-object marker c3 01 (it starts with " + firstBytes(bytes)
                    + "); check that its producer writes with emostream's serializer.", e);
        } catch (MissingSchemaException e) {
            throw new UnreadableRecordException("The record was written with a version of the " + recordName
                    + " schema this reader does not know (fingerprint " + writerFingerprint(bytes) + "); if a newer"
                    + " emostream wrote it, upgrade this reader, otherwise check what produces to this topic.", e);
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
