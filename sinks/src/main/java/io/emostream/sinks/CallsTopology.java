package io.emostream.sinks;

import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.DeadLetter;
import io.emostream.schema.kafka.AvroSerde;
import io.emostream.sinks.calls.TrackerSerde;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * emotion.events → one tracker per call → calls.summary and alerts; records that are not events → dead-letter.
 * Read top to bottom, this is the whole Streams application.
 */
public final class CallsTopology {
    /** The queryable store of call trackers, keyed by call id. */
    public static final String CALLS_STORE = "calls";
    static final String EVENTS = "emotion-events";
    static final String TRACK = "track-calls";
    static final String SUMMARIES = "calls-summary";
    static final String ALERTS = "alerts";
    static final String DEAD_LETTERS = "dead-letters";

    private CallsTopology() {
    }

    public static Topology build(SinksConfig config) {
        Topology topology = new Topology();
        topology.addSource(EVENTS, new StringDeserializer(), new ByteArrayDeserializer(), config.eventsTopic());
        topology.addProcessor(TRACK, () -> new TrackCalls(config.rules(), config.callRetention()), EVENTS);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CALLS_STORE),
                org.apache.kafka.common.serialization.Serdes.String(), TrackerSerde.serde()), TRACK);
        topology.addSink(SUMMARIES, config.summaryTopic(), new StringSerializer(),
                AvroSerde.of(CallSummary.class).serializer(), TRACK);
        topology.addSink(ALERTS, config.alertsTopic(), new StringSerializer(), AvroSerde.of(Alert.class).serializer(), TRACK);
        topology.addSink(DEAD_LETTERS, config.deadLetterTopic(), new StringSerializer(),
                AvroSerde.of(DeadLetter.class).serializer(), TRACK);
        return topology;
    }
}
