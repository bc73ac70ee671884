package io.emostream.launcher.capacity;

import io.emostream.schema.EmotionEvent;
import io.emostream.schema.kafka.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the events as a dashboard would and notes, for each, when it became readable: the end-to-end latency
 * from the VAD's end-of-utterance decision, and from the hand-over to Kafka of the last chunk the VAD had read
 * when it decided. The consumer asks the broker to answer at once, so the figures are not padded by fetch waits.
 */
final class EventProbe implements AutoCloseable {
    /**
     * One event as the probe saw it.
     *
     * @param inJobMs from the VAD's end-of-utterance decision to the event being handed to the sink: the part of
     *                {@code fromVadEndMs} spent inside the job
     */
    record Seen(long readMs, long fromVadEndMs, long fromLastChunkMs, long inJobMs) {
    }

    private final KafkaConsumer<String, EmotionEvent> consumer;
    private final Thread reader;
    private final List<Seen> seen = new ArrayList<>();
    private volatile boolean running = true;

    /** @param committedOnly read as consumers of an exactly-once job do: only what its checkpoints have committed */
    EventProbe(String bootstrap, String topic, boolean committedOnly) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "emostream-bench-probe-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted"),
                new StringDeserializer(), AvroSerde.of(EmotionEvent.class).deserializer());
        consumer.subscribe(List.of(topic));
        reader = new Thread(this::read, "emostream-bench-events");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<String, EmotionEvent> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    EmotionEvent event = record.value();
                    synchronized (seen) {
                        seen.add(new Seen(now, now - event.getVadEndTimeMs(), now - event.getLastChunkIngestTimeMs(),
                                event.getEmitTimeMs() - event.getVadEndTimeMs()));
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll.
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The events read between these two times. */
    List<Seen> between(long fromMs, long toMs) {
        synchronized (seen) {
            return seen.stream().filter(s -> s.readMs() >= fromMs && s.readMs() < toMs).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(5_000);
    }
}
