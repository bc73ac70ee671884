package io.emostream.launcher.tail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emostream.schema.DeadLetter;
import io.emostream.schema.codec.AnyRecordDecoder;
import io.emostream.schema.codec.UnreadableRecordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record of a topic as one line of JSON: where it sits, its key and timestamp, then the fields of the decoded
 * record under the schema's own names; or, when the value is not an emostream record, an {@code error} sentence.
 *
 * <p>Records become objects, arrays arrays, maps objects (keys sorted), enums their symbol, and a union its
 * value. JSON has no NaN or infinity, so such doubles are null. Bytes (audio, a refused record's value) are shown
 * as {@code {"bytes": length}}, with their base64 as well when asked for.
 */
public final class RecordJson {
    /** The members a line has besides the record's fields ({@code error} instead of them); no field is named so. */
    public static final List<String> ENVELOPE = List.of("partition", "offset", "key", "timestamp", "error");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Bytes that hold a record's Kafka key: shown as text, as the key of the line itself is. */
    private static final String DEAD_LETTER_KEY = DeadLetter.getClassSchema().getFullName() + ".originalKey";

    private final AnyRecordDecoder decoder;
    private final boolean withBytes;

    /** @param withBytes show the base64 of every bytes field, not only its length */
    public RecordJson(AnyRecordDecoder decoder, boolean withBytes) {
        this.decoder = decoder;
        this.withBytes = withBytes;
    }

    public String line(ConsumerRecord<byte[], byte[]> consumed) {
        ObjectNode line = NODES.objectNode();
        line.put("partition", consumed.partition());
        line.put("offset", consumed.offset());
        line.put("key", consumed.key() == null ? null : new String(consumed.key(), StandardCharsets.UTF_8));
        line.put("timestamp", consumed.timestamp());
        try {
            fields(decoder.decode(consumed.value()), line);
        } catch (UnreadableRecordException e) {
            line.put("error", e.getMessage());
        }
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree of plain JSON nodes always serialises", e);
        }
    }

    private ObjectNode fields(IndexedRecord record, ObjectNode into) {
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            boolean isKey = (record.getSchema().getFullName() + "." + field.name()).equals(DEAD_LETTER_KEY);
            into.set(field.name(), isKey && value instanceof ByteBuffer key ? NODES.textNode(utf8(key)) : json(value));
        }
        return into;
    }

    private JsonNode json(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof IndexedRecord record) {
            return fields(record, NODES.objectNode());
        }
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?>) {
            return NODES.textNode(value.toString());
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            return Double.isFinite(number) ? NODES.numberNode(number) : NODES.nullNode();
        }
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Integer number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof ByteBuffer bytes) {
            return bytes(bytes);
        }
        if (value instanceof Collection<?> items) {
            ArrayNode array = NODES.arrayNode();
            items.forEach(item -> array.add(json(item)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, item) -> sorted.put(key.toString(), item));
            sorted.forEach((key, item) -> object.set(key, json(item)));
            return object;
        }
        throw new IllegalStateException("No JSON form for a " + value.getClass().getName() + " in an emostream record");
    }

    private ObjectNode bytes(ByteBuffer bytes) {
        ObjectNode node = NODES.objectNode();
        node.put("bytes", bytes.remaining());
        if (withBytes) {
            node.put("base64", Base64.getEncoder().encodeToString(copy(bytes)));
        }
        return node;
    }

    private static String utf8(ByteBuffer bytes) {
        return new String(copy(bytes), StandardCharsets.UTF_8);
    }

    private static byte[] copy(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return copy;
    }
}
