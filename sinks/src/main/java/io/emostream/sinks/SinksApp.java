package io.emostream.sinks;

import io.emostream.sinks.calls.CallTracker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The Streams application running: exactly-once v2, the call store queryable while it runs. */
public final class SinksApp implements AutoCloseable {
    private final KafkaStreams streams;

    private SinksApp(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Starts processing; returns at once, the first records follow within seconds. */
    public static SinksApp start(SinksConfig config, Path stateDir) {
        return start(config, stateDir, () -> { });
    }

    /** The same, telling {@code onFailure} if the application stops on an error it cannot recover from. */
    public static SinksApp start(SinksConfig config, Path stateDir, Runnable onFailure) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Exactly-once commits with each transaction; a short interval keeps summaries and alerts live.
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        properties.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        KafkaStreams streams = new KafkaStreams(CallsTopology.build(config), properties);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR) {
                onFailure.run();
            }
        });
        streams.start();
        return new SinksApp(streams);
    }

    /** The calls tracked on this instance, for the dashboard; empty until the application is running. */
    public ReadOnlyKeyValueStore<String, CallTracker> calls() {
        return streams.store(StoreQueryParameters.fromNameAndType(CallsTopology.CALLS_STORE, QueryableStoreTypes.keyValueStore()));
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        // Leaving the group hands this instance's calls to the others at once, not after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
