package io.emostream.sinks;

import io.emostream.sinks.calls.CallTracker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The Streams application running: exactly-once v2, the call store queryable while it runs. */
public final class SinksApp implements AutoCloseable {
    /** How long the start waits for Kafka to describe the input topics. */
    static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;

    /** The input topics are missing or unlike each other, or Kafka did not answer: one sentence says which, and what to do. */
    public static final class InputTopicsException extends RuntimeException {
        InputTopicsException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SinksApp(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Starts processing; returns at once, the first records follow within seconds. */
    public static SinksApp start(SinksConfig config, Path stateDir) {
        return start(config, stateDir, () -> { });
    }

    /**
     * The same, telling {@code onFailure} if the application stops on an error it cannot recover from.
     *
     * @throws InputTopicsException when the input topics cannot be read together (see {@link #checkInputTopics})
     */
    public static SinksApp start(SinksConfig config, Path stateDir, Runnable onFailure) {
        checkInputTopics(config);
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

    /**
     * A call's events and its streams' ends are taken in by one task, which Kafka Streams gives partition N of each
     * input topic: both topics must exist, with the same number of partitions, or calls would never be seen to end.
     */
    static void checkInputTopics(SinksConfig config) {
        String events = config.eventsTopic();
        String ends = config.streamEndsTopic();
        Map<String, TopicDescription> topics;
        Admin admin;
        try {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TOPIC_CHECK_TIMEOUT.toMillis()));
        } catch (KafkaException e) {
            throw new InputTopicsException("The Kafka bootstrap servers '" + config.bootstrapServers()
                    + "' are not usable (" + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage())
                    + "); check --bootstrap.", e);
        }
        try {
            topics = admin.describeTopics(List.of(events, ends)).allTopicNames()
                    .get(TOPIC_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new InputTopicsException("The Streams application reads topics " + events + " and " + ends
                        + ", and one of them does not exist on " + config.bootstrapServers() + "; create both with the"
                        + " same number of partitions (bin/emotion broker, the deploy manifests and docker-compose.yml"
                        + " create every emostream topic).", e);
            }
            throw new InputTopicsException("Kafka at " + config.bootstrapServers() + " could not describe topics "
                    + events + " and " + ends + " (" + e.getCause().getMessage() + ").", e);
        } catch (TimeoutException e) {
            throw new InputTopicsException("Kafka at " + config.bootstrapServers() + " did not answer within "
                    + TOPIC_CHECK_TIMEOUT.toSeconds() + " s; check the bootstrap servers and that the brokers are up.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputTopicsException("Interrupted while checking topics " + events + " and " + ends + ".", e);
        } finally {
            // Nothing is left to wait for: an unanswered call is already reported.
            admin.close(Duration.ZERO);
        }
        int eventPartitions = topics.get(events).partitions().size();
        int endPartitions = topics.get(ends).partitions().size();
        if (eventPartitions != endPartitions) {
            throw new InputTopicsException("Topics " + events + " (" + eventPartitions + " partitions) and " + ends + " ("
                    + endPartitions + ") must have the same number of partitions, so that a call's events and the ends"
                    + " of its streams meet in one task; recreate " + ends + " with " + eventPartitions + ".", null);
        }
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
