package io.emostream.schema.codec;

import io.emostream.schema.Alert;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.CallSummary;
import io.emostream.schema.DeadLetter;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.GroupSummary;
import io.emostream.schema.StreamEnd;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes a record of any emostream topic without being told its type: the fingerprint in front of the
 * single-object encoded bytes names the writer's schema, and so the type, whatever the topic is called. Today's
 * schemas and every older version in the standard history are known. For tools that look at any topic
 * ({@code bin/emotion tail}); code that knows its topic's type uses {@link RecordCodec}.
 *
 * <p>Thread-safe, as {@link RecordCodec} is.
 */
public final class AnyRecordDecoder {
    /** The value type of every emostream topic: a new top-level record is added here, and nowhere else. */
    public static final List<Class<? extends SpecificRecord>> RECORD_TYPES = List.of(AudioChunk.class,
            EmotionEvent.class, StreamEnd.class, CallSummary.class, GroupSummary.class, Alert.class, DeadLetter.class);

    private static final AnyRecordDecoder STANDARD = new AnyRecordDecoder(SchemaHistory.standard());
    private static final int HEADER_BYTES = 10;

    /** By fingerprint, as 16 hex digits: the codec of the type whose current or older schema has it. */
    private final Map<String, RecordCodec<?>> codecs;

    private AnyRecordDecoder(SchemaHistory history) {
        Map<String, RecordCodec<?>> byFingerprint = new HashMap<>();
        for (Class<? extends SpecificRecord> type : RECORD_TYPES) {
            RecordCodec<?> codec = RecordCodec.of(type, history);
            byFingerprint.put(codec.fingerprint(), codec);
            for (Schema older : history.olderVersionsOf(codec.schema().getName())) {
                byFingerprint.put(RecordCodec.fingerprintOf(older), codec);
            }
        }
        this.codecs = Map.copyOf(byFingerprint);
    }

    /** Knows today's schemas and the history published with this release. */
    public static AnyRecordDecoder standard() {
        return STANDARD;
    }

    /** @throws UnreadableRecordException with one sentence naming what is wrong with the bytes */
    public SpecificRecord decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableRecordException("The record is empty, so it is not an emostream record.", null);
        }
        if (bytes.length < 2 || bytes[0] != (byte) 0xc3 || bytes[1] != 0x01) {
            throw new UnreadableRecordException("The record is not an emostream record: it lacks Avro's single-object"
                    + " marker c3 01 (it starts with " + RecordCodec.firstBytes(bytes) + "); check what produces to"
                    + " this topic.", null);
        }
        if (bytes.length < HEADER_BYTES) {
            throw new UnreadableRecordException("The record is cut short: it has " + bytes.length + " bytes, fewer than"
                    + " the " + HEADER_BYTES + " of a single-object header with its schema fingerprint.", null);
        }
        String fingerprint = RecordCodec.writerFingerprint(bytes);
        RecordCodec<?> codec = codecs.get(fingerprint);
        if (codec == null) {
            throw new UnreadableRecordException("The record was written with a schema this reader does not know"
                    + " (fingerprint " + fingerprint + "), neither an emostream record type nor one of its published"
                    + " versions; if a newer emostream wrote it, upgrade this reader, otherwise check what produces to"
                    + " this topic.", null);
        }
        return codec.decode(bytes);
    }
}
