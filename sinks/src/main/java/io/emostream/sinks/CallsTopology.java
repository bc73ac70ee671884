package io.emostream.sinks;

import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.DeadLetter;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.GroupSummary;
import io.emostream.schema.kafka.AvroSerde;
import io.emostream.sinks.calls.CallTracker;
import io.emostream.sinks.groups.GroupTracker;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole Streams application, top to bottom:
 * <pre>
 * emotion.events ─┬─▶ track-calls (store "calls", by call id) ─┬─▶ calls.summary (also when a call ends)
 * streams.ended ──┘                                             ├─▶ alerts
 *                                                               ├─▶ dead-letter (records that are not what their topic carries)
 *                                                               └─▶ new events, re-keyed by agent and series
 *                                                                    ─▶ track-groups (store "groups") ─▶ groups.summary
 * </pre>
 */
public final class CallsTopology {
    /** The queryable store of call trackers, keyed by call id. */
    public static final String CALLS_STORE = "calls";
    /** The queryable store of agent and series trackers, keyed by "agent/NAME" or "series/NAME". */
    public static final String GROUPS_STORE = "groups";

    private CallsTopology() {
    }

    public static Topology build(SinksConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CALLS_STORE), Serdes.String(),
                StateSerde.of(CallTracker.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(GROUPS_STORE), Serdes.String(),
                StateSerde.of(GroupTracker.class)));

        KStream<String, SpecificRecord> tracked = builder
                // One source for both, so an event and a stream's end of the same call meet in the same task: the
                // two topics must have the same partitions (SinksApp checks).
                .stream(List.of(config.eventsTopic(), config.streamEndsTopic()),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("events-and-stream-ends"))
                .process(() -> new TrackCalls(config.rules(), config.callRetention(), config.streamEndsTopic()),
                        Named.as("track-calls"), CALLS_STORE);
        tracked.split(Named.as("calls-"))
                .branch((call, out) -> out instanceof CallSummary, Branched.withConsumer(summaries -> summaries
                        .mapValues(out -> (CallSummary) out)
                        .to(config.summaryTopic(), Produced.with(Serdes.String(), AvroSerde.of(CallSummary.class))), "summaries"))
                .branch((call, out) -> out instanceof Alert, Branched.withConsumer(alerts -> alerts
                        .mapValues(out -> (Alert) out)
                        .to(config.alertsTopic(), Produced.with(Serdes.String(), AvroSerde.of(Alert.class))), "alerts"))
                .branch((call, out) -> out instanceof DeadLetter, Branched.withConsumer(letters -> letters
                        .mapValues(out -> (DeadLetter) out)
                        .to(config.deadLetterTopic(), Produced.with(Serdes.String(), AvroSerde.of(DeadLetter.class))), "dead-letters"))
                .branch((call, out) -> out instanceof EmotionEvent, Branched.withConsumer(events -> events
                        .flatMap((call, out) -> GroupTracker.keysOf((EmotionEvent) out).stream()
                                .map(group -> KeyValue.pair(group, (EmotionEvent) out)).toList(), Named.as("by-group"))
                        // One task sees every event of a group, whichever calls' partitions they came from.
                        .repartition(Repartitioned.with(Serdes.String(), AvroSerde.of(EmotionEvent.class)).withName("events-by-group"))
                        .process(() -> new TrackGroups(config.rules(), config.callRetention()), Named.as("track-groups"), GROUPS_STORE)
                        .to(config.groupsTopic(), Produced.with(Serdes.String(), AvroSerde.of(GroupSummary.class))), "new-events"))
                .noDefaultBranch();
        return builder.build();
    }
}
