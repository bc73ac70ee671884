package io.emostream.launcher.tail;

import io.emostream.ingest.kafka.KafkaUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows every partition of one topic, from its start or from now, as a reader outside any consumer group:
 * partitions are assigned directly and no offset is committed, so tailing leaves nothing behind on the cluster.
 * Only committed records are read, as emostream's own readers see them.
 *
 * <p>{@link #follow} runs on one thread; {@link #stop} may be called from any other (a Ctrl-C hook).
 */
public final class TopicTail implements AutoCloseable {
    private static final String DEFAULT_CHECK_TIMEOUT_MS = "15000";
    private static final Duration LONGEST_POLL = Duration.ofMillis(500);
    /** A missing topic's message names the topics there are, up to this many. */
    private static final int TOPICS_NAMED = 30;

    /**
     * @param fromBeginning read each partition from its start rather than only what arrives from now on
     * @param clientOverrides the user's Kafka client properties (security, timeouts), applied over our defaults
     */
    public record Settings(String bootstrapServers, String topic, boolean fromBeginning, Properties clientOverrides) {
    }

    /**
     * @param callId print only records with this key; null prints all
     * @param max stop after printing this many records; 0 for no limit
     * @param quiet stop once this long has passed without a record arriving; null to wait for ever
     */
    public record Limits(String callId, long max, Duration quiet) {
    }

    /** Why following ended: enough records printed, the topic went quiet, or {@link #stop} was called. */
    public enum Reason { ENOUGH, QUIET, STOPPED }

    public record Ending(Reason reason, long printed) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private boolean closed;

    private TopicTail(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /**
     * Finds the topic, assigns all its partitions and fixes where reading starts: "from now" means from this
     * call, not from the first poll.
     *
     * @throws MissingTopicException when the topic does not exist, naming the topics that do
     * @throws KafkaUnavailableException with one sentence when Kafka does not answer or refuses
     */
    public static TopicTail open(Settings settings) {
        Properties config = consumerConfig(settings);
        TopicTail tail = new TopicTail(newConsumer(settings, config));
        // The consumer has checked that it is a number of milliseconds.
        Duration timeout = Duration.ofMillis(Long.parseLong(
                config.getProperty(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG).strip()));
        try {
            tail.assignAll(settings, timeout);
            return tail;
        } catch (RuntimeException e) {
            tail.close();
            throw e instanceof KafkaException kafkaError ? unavailable(settings, timeout, kafkaError) : e;
        }
    }

    /** Says whether Kafka did not answer at all, or answered with a refusal (authorisation, say). */
    private static KafkaUnavailableException unavailable(Settings settings, Duration timeout, KafkaException error) {
        if (error instanceof TimeoutException) {
            return new KafkaUnavailableException("Kafka at " + settings.bootstrapServers() + " did not answer within "
                    + timeout.toMillis() / 1000.0 + " s; check --bootstrap, or start a local broker with"
                    + " 'bin/emotion broker'.", error);
        }
        return new KafkaUnavailableException("Kafka at " + settings.bootstrapServers() + " refused the request ("
                + error + "); check the permissions and settings in --kafka-config.", error);
    }

    /** Our consumer settings; the user's client config may add to them or change them. */
    private static Properties consumerConfig(Settings settings) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "emostream-tail");
        // The Streams app, and the job when exactly-once, write in transactions: show what their readers see, not
        // aborted attempts, nor records of a transaction still open.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        config.putAll(settings.clientOverrides());
        // Finding the topic waits as long as the user's client config allows API calls to take, 15 s by default.
        config.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, DEFAULT_CHECK_TIMEOUT_MS);
        return config;
    }

    /**
     * Hands each record within the limits to {@code print}, in each partition's order, until a limit is reached or
     * {@link #stop} is called. Every record read counts as an arrival for {@code quiet}, printed or not.
     */
    public Ending follow(Limits limits, Consumer<ConsumerRecord<byte[], byte[]>> print) {
        byte[] wantedKey = limits.callId() == null ? null : limits.callId().getBytes(StandardCharsets.UTF_8);
        long printed = 0;
        long lastArrival = System.nanoTime();
        try {
            while (true) {
                Duration wait = LONGEST_POLL;
                if (limits.quiet() != null) {
                    long left = limits.quiet().toNanos() - (System.nanoTime() - lastArrival);
                    if (left <= 0) {
                        return new Ending(Reason.QUIET, printed);
                    }
                    wait = Duration.ofNanos(Math.min(left, LONGEST_POLL.toNanos()));
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(wait);
                if (!records.isEmpty()) {
                    lastArrival = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (wantedKey == null || Arrays.equals(wantedKey, record.key())) {
                        print.accept(record);
                        printed++;
                        if (printed == limits.max()) {
                            return new Ending(Reason.ENOUGH, printed);
                        }
                    }
                }
            }
        } catch (WakeupException | InterruptException stopped) {
            return new Ending(Reason.STOPPED, printed);
        }
    }

    /** Ends {@link #follow} at its next poll, or at once if it is waiting in one; does nothing once closed. */
    public synchronized void stop() {
        if (!closed) {
            consumer.wakeup();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        // When an interrupt ended follow(), a consumer closed with the flag still set would throw instead of closing.
        boolean interrupted = Thread.interrupted();
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void assignAll(Settings settings, Duration timeout) {
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(timeout);
        List<PartitionInfo> found = topics.get(settings.topic());
        if (found == null || found.isEmpty()) {
            throw new MissingTopicException(missingTopic(settings, new TreeSet<>(topics.keySet())));
        }
        List<TopicPartition> partitions = found.stream()
                .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
        consumer.assign(partitions);
        if (settings.fromBeginning()) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(partition -> consumer.position(partition, timeout));
    }

    private static String missingTopic(Settings settings, TreeSet<String> existing) {
        String sentence = "Topic " + settings.topic() + " does not exist on " + settings.bootstrapServers();
        if (existing.isEmpty()) {
            return sentence + ", which has no topics yet; check --topic and --bootstrap.";
        }
        List<String> named = existing.stream().limit(TOPICS_NAMED).toList();
        String more = existing.size() > TOPICS_NAMED ? " and " + (existing.size() - TOPICS_NAMED) + " more" : "";
        return sentence + "; its topics are " + String.join(", ", named) + more + ".";
    }

    /** Settings the consumer refuses (a malformed address, a bad property) become one sentence. */
    private static KafkaConsumer<byte[], byte[]> newConsumer(Settings settings, Properties config) {
        try {
            return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KafkaUnavailableException("The Kafka client settings are not usable (" + cause.getMessage()
                    + "); check --bootstrap (HOST:PORT, comma-separated; now '" + settings.bootstrapServers()
                    + "') and --kafka-config.", e);
        }
    }
}
