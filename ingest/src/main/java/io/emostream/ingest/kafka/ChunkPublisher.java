package io.emostream.ingest.kafka;

import io.emostream.schema.AudioChunk;
import io.emostream.schema.kafka.AvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends {@link AudioChunk}s to Kafka, keyed by call id so all channels of a call stay in order in one partition.
 * The producer is idempotent with {@code acks=all}: retries neither duplicate nor reorder chunks. Delivery is
 * asynchronous; failures are counted, and {@link #flush()} waits until every chunk sent so far is acknowledged
 * or has failed. Thread-safe.
 */
public final class ChunkPublisher implements AutoCloseable {
    private static final String DEFAULT_CHECK_TIMEOUT_MS = "15000";

    private final KafkaSettings settings;
    private final KafkaProducer<String, AudioChunk> producer;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    private ChunkPublisher(KafkaSettings settings) {
        this.settings = settings;
        this.producer = clientCall(settings, () -> new KafkaProducer<>(producerConfig(settings), new StringSerializer(),
                AvroSerde.of(AudioChunk.class).serializer()));
    }

    /**
     * Checks that the brokers answer and the topic exists (creating it when missing) with every partition's
     * leader ready, then opens the producer.
     *
     * @throws KafkaUnavailableException with one sentence naming the brokers and what to do
     */
    public static ChunkPublisher open(KafkaSettings settings) {
        ensureTopic(settings);
        return new ChunkPublisher(settings);
    }

    /** The producer settings we rely on; the user's client config may add to them (e.g. security). */
    static Properties producerConfig(KafkaSettings settings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "emostream-ingest");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Idempotence keeps order with up to 5 requests in flight per partition.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // Speech does not compress: lz4 took 0-13 % off our samples (13 % only where they hold digital silence),
        // while a live chunk usually travels alone in its batch, and a compressed batch of one chunk cost the
        // producer most of its CPU, and the broker and the job more to unpack it.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // A live chunk should leave within milliseconds; 5 ms still lets chunks of many calls share a batch.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putAll(settings.clientOverrides());
        return p;
    }

    /** Stamps the ingest time and sends the chunk; the outcome is counted for the call and overall. */
    public void send(AudioChunk chunk, CallDelivery call) {
        send(chunk, call, error -> { });
    }

    /**
     * As {@link #send(AudioChunk, CallDelivery)}, and tells {@code onFailure} (on the producer's thread) when Kafka
     * refuses the chunk. Blocks while the producer's buffer is full, up to its {@code max.block.ms}.
     */
    public void send(AudioChunk chunk, CallDelivery call, Consumer<Exception> onFailure) {
        chunk.setIngestTimeMs(System.currentTimeMillis());
        call.sent();
        try {
            producer.send(new ProducerRecord<>(settings.topic(), chunk.getCallId(), chunk),
                    (metadata, error) -> answered(error, call, onFailure));
        } catch (RuntimeException e) {
            // Thrown rather than answered (a closed producer, an interrupt): the call must still settle.
            answered(e, call, error -> { });
            throw e;
        }
    }

    private void answered(Exception error, CallDelivery call, Consumer<Exception> onFailure) {
        if (error == null) {
            delivered.incrementAndGet();
        } else {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, error.toString());
        }
        call.answered(error);
        if (error != null) {
            onFailure.accept(error);
        }
    }

    public void sendAll(List<AudioChunk> chunks, CallDelivery call) {
        chunks.forEach(chunk -> send(chunk, call));
    }

    /** Blocks until every chunk sent so far, by any call, is acknowledged or has failed. */
    public void flush() {
        producer.flush();
    }

    public long delivered() {
        return delivered.get();
    }

    public long failed() {
        return failed.get();
    }

    /** The first delivery error, or null when every chunk went through. */
    public String firstFailure() {
        return firstFailure.get();
    }

    public KafkaSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    /**
     * Creates the settings' topic if it does not exist, and returns once its partitions have leaders that answer
     * (KAFKA-15591: writing sooner can lose the first batch). Fails with one sentence when Kafka cannot be reached.
     */
    public static void ensureTopic(KafkaSettings settings) {
        Properties adminConfig = new Properties();
        adminConfig.putAll(settings.clientOverrides());
        adminConfig.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        // The check waits as long as the user's client config allows API calls to take, 15 s by default.
        String timeoutMs = adminConfig.getProperty(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, DEFAULT_CHECK_TIMEOUT_MS);
        adminConfig.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        adminConfig.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        Duration timeout = Duration.ofMillis(Long.parseLong(timeoutMs));
        try (Admin admin = clientCall(settings, () -> Admin.create(adminConfig))) {
            int brokers;
            try {
                brokers = await(admin.describeCluster().nodes(), settings, timeout).size();
            } catch (ExecutionException e) {
                throw new KafkaUnavailableException(failedCall(settings, timeout, e.getCause()), e.getCause());
            }
            if (!topicExists(admin, settings, timeout)) {
                createTopic(admin, settings, brokers, timeout);
            }
            awaitWritable(admin, settings, timeout);
        }
    }

    /** Creates a Kafka client; settings it refuses (a malformed address, a bad property) become one sentence. */
    private static <T> T clientCall(KafkaSettings settings, Supplier<T> create) {
        try {
            return create.get();
        } catch (KafkaException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KafkaUnavailableException("The Kafka client settings are not usable (" + cause.getMessage()
                    + "); check --bootstrap (HOST:PORT, comma-separated; now '" + settings.bootstrapServers()
                    + "') and --kafka-config.", e);
        }
    }

    private static boolean topicExists(Admin admin, KafkaSettings settings, Duration timeout) {
        try {
            await(admin.describeTopics(List.of(settings.topic())).allTopicNames(), settings, timeout);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw new KafkaUnavailableException(failedCall(settings, timeout, e.getCause()), e.getCause());
        }
    }

    private static void createTopic(Admin admin, KafkaSettings settings, int brokers, Duration timeout) {
        NewTopic topic = new NewTopic(settings.topic(), settings.partitions(), (short) Math.min(3, brokers));
        try {
            await(admin.createTopics(List.of(topic)).all(), settings, timeout);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaUnavailableException("Topic " + settings.topic() + " does not exist on "
                        + settings.bootstrapServers() + " and could not be created (" + e.getCause().getMessage()
                        + "); create it, or choose another with --topic.", e.getCause());
            }
        }
    }

    /**
     * Waits until every partition's leader serves requests. An idempotent producer writing to a partition its
     * leader has not opened yet can lose a batch (KAFKA-15591, fixed after Kafka 4.2). ListOffsets is answered by
     * the leader itself; while the topic is still being set up it fails with a retriable error, so it is retried.
     */
    private static void awaitWritable(Admin admin, KafkaSettings settings, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                TopicDescription description = await(admin.describeTopics(List.of(settings.topic())).allTopicNames(),
                        settings, timeout).get(settings.topic());
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                description.partitions().forEach(p -> partitions.put(new TopicPartition(settings.topic(), p.partition()),
                        OffsetSpec.latest()));
                await(admin.listOffsets(partitions).all(), settings, timeout);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new KafkaUnavailableException("Topic " + settings.topic() + " on " + settings.bootstrapServers()
                            + " has partitions without a working leader (" + e.getCause().getMessage()
                            + "); check the cluster's health.", e.getCause());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /** Waits for an admin call; only the call's own failure comes back as an ExecutionException. */
    private static <T> T await(KafkaFuture<T> future, KafkaSettings settings, Duration timeout)
            throws ExecutionException {
        try {
            return future.get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException(failedCall(settings, timeout, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while contacting Kafka at " + settings.bootstrapServers(), e);
        }
    }

    /** Says whether Kafka did not answer at all, or answered with a refusal (authorisation, say). */
    private static String failedCall(KafkaSettings settings, Duration timeout, Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "Kafka at " + settings.bootstrapServers() + " did not answer within " + timeout.toMillis() / 1000.0
                    + " s; check --bootstrap, or start a local broker with 'bin/emotion broker'.";
        }
        return "Kafka at " + settings.bootstrapServers() + " refused the request (" + cause
                + "); check the permissions and settings in --kafka-config.";
    }
}
