package io.emostream.ingest;

import io.emostream.schema.AudioChunk;
import io.emostream.schema.kafka.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads back what ingest wrote to a topic, as a consumer of the real broker would. */
public final class ChunkTopic {
    private final List<ConsumerRecord<String, AudioChunk>> records;

    private ChunkTopic(List<ConsumerRecord<String, AudioChunk>> records) {
        this.records = records;
    }

    /**
     * Reads from the beginning until {@code endMarkers} end-of-stream chunks of the named calls (of any call when
     * none are named) have been seen, or 60 s pass.
     */
    public static ChunkTopic readUntilEnds(String bootstrap, String topic, int endMarkers, String... callIds) {
        Set<String> calls = Set.of(callIds);
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, AudioChunk>> seen = new ArrayList<>();
        try (KafkaConsumer<String, AudioChunk> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                AvroSerde.of(AudioChunk.class).deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int ends = 0;
            while (ends < endMarkers && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, AudioChunk> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r);
                    boolean counted = calls.isEmpty() || calls.contains(r.value().getCallId());
                    ends += counted && r.value().getEndOfStream() ? 1 : 0;
                }
            }
        }
        return new ChunkTopic(seen);
    }

    public List<ConsumerRecord<String, AudioChunk>> records() {
        return records;
    }

    /** Chunks of one speaker stream in the order the topic holds them. */
    public List<AudioChunk> stream(String callId, int channel) {
        return records.stream().map(ConsumerRecord::value)
                .filter(c -> c.getCallId().equals(callId) && c.getChannel() == channel)
                .toList();
    }

    /** The payloads of one speaker stream, concatenated in sequence order. */
    public byte[] audio(String callId, int channel) {
        Map<Long, AudioChunk> bySequence = new TreeMap<>();
        stream(callId, channel).forEach(c -> bySequence.put(c.getSequence(), c));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bySequence.values().forEach(c -> {
            byte[] b = new byte[c.getPayload().remaining()];
            c.getPayload().duplicate().get(b);
            out.writeBytes(b);
        });
        return out.toByteArray();
    }

    public List<String> callIds() {
        return records.stream().map(r -> r.value().getCallId()).distinct().sorted().toList();
    }
}
