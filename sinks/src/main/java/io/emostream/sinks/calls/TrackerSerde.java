package io.emostream.sinks.calls;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A call's tracker in the state store and its changelog, as JSON: internal state, never read by anyone else, so
 * it can change between versions; fields a newer version no longer has are skipped on restore.
 */
public final class TrackerSerde {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private TrackerSerde() {
    }

    public static Serde<CallTracker> serde() {
        Serializer<CallTracker> serializer = (topic, tracker) -> {
            try {
                return tracker == null ? null : JSON.writeValueAsBytes(tracker);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not store the state of call " + tracker.callId, e);
            }
        };
        Deserializer<CallTracker> deserializer = (topic, bytes) -> {
            try {
                return bytes == null ? null : JSON.readValue(bytes, CallTracker.class);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not restore a call's state from " + topic, e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
