package io.emostream.sinks.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.GroupSummary;
import io.emostream.schema.codec.RecordCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads emotion.events, calls.summary, groups.summary and alerts (committed records only) into a {@link LiveView}, and hands each
 * change to a listener as (SSE event name, JSON). A record it cannot read is logged and skipped: the dashboard
 * shows; it does not own the data, and the Streams application's dead-letter topic already holds bad events.
 */
public final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    /** Where the dashboard reads. */
    public record Topics(String events, String summaries, String groups, String alerts) {
        public static Topics defaults() {
            return new Topics(io.emostream.schema.Topics.EMOTION_EVENTS, io.emostream.schema.Topics.CALLS_SUMMARY,
                    io.emostream.schema.Topics.GROUPS_SUMMARY, io.emostream.schema.Topics.ALERTS);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final RecordCodec<EmotionEvent> events = RecordCodec.of(EmotionEvent.class);
    private final RecordCodec<CallSummary> summaries = RecordCodec.of(CallSummary.class);
    private final RecordCodec<GroupSummary> groups = RecordCodec.of(GroupSummary.class);
    private final RecordCodec<Alert> alerts = RecordCodec.of(Alert.class);
    private volatile boolean running = true;

    private LiveFeed(String bootstrap, Topics topics, LiveView view, BiConsumer<String, ObjectNode> changes) {
        // No consumer group: every dashboard reads everything from the start of what the topics still hold, and
        // keeps only the calls of the last two hours.
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.GROUP_ID_CONFIG, "emostream-dashboard-" + java.util.UUID.randomUUID()),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.events(), topics.summaries(), topics.groups(), topics.alerts()));
        thread = new Thread(() -> run(topics, view, changes), "emostream-dashboard-feed");
        thread.setDaemon(true);
    }

    public static LiveFeed start(String bootstrap, Topics topics, LiveView view, BiConsumer<String, ObjectNode> changes) {
        LiveFeed feed = new LiveFeed(bootstrap, topics, view, changes);
        feed.thread.start();
        return feed;
    }

    private void run(Topics topics, LiveView view, BiConsumer<String, ObjectNode> changes) {
        try {
            while (running) {
                Iterable<ConsumerRecord<String, byte[]>> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (WakeupException closing) {
                    throw closing;
                } catch (RuntimeException e) {
                    // Kafka unreachable or refusing us: the dashboard says so in the log and keeps trying.
                    LOG.error("The dashboard cannot read from Kafka ({}); retrying in 5 s", e.toString());
                    sleepQuietly();
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    try {
                        if (record.topic().equals(topics.events())) {
                            changes.accept("utterance", view.onEvent(events.decode(record.value())));
                        } else if (record.topic().equals(topics.summaries())) {
                            changes.accept("call", view.onSummary(summaries.decode(record.value())));
                        } else if (record.topic().equals(topics.groups())) {
                            changes.accept("group", view.onGroup(record.key(), groups.decode(record.value())));
                        } else {
                            changes.accept("alert", view.onAlert(alerts.decode(record.value())));
                        }
                    } catch (RuntimeException unreadable) {
                        LOG.warn("Skipped record {}-{}@{} that the dashboard cannot read: {}", record.topic(),
                                record.partition(), record.offset(), unreadable.getMessage());
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll
        } finally {
            consumer.close();
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
