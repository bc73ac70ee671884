package io.emostream.launcher;

import io.emostream.kafka.EmbeddedKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The Kafka a benchmark measures against: an embedded broker in this JVM, or the user's ({@code --bootstrap}), where
 * the benchmark's own topics are deleted again when it closes.
 */
final class BenchBroker implements AutoCloseable {
    private final EmbeddedKafka embedded;
    private final String servers;
    private final List<String> topics = new ArrayList<>();

    private BenchBroker(EmbeddedKafka embedded, String servers) {
        this.embedded = embedded;
        this.servers = servers;
    }

    /** @param bootstrap the user's Kafka, or null for an embedded broker */
    static BenchBroker start(String bootstrap) {
        EmbeddedKafka embedded = bootstrap == null ? EmbeddedKafka.builder().start() : null;
        return new BenchBroker(embedded, embedded != null ? embedded.bootstrapServers() : bootstrap);
    }

    String servers() {
        return servers;
    }

    /** "embedded broker in this JVM" or "external", for a benchmark's heading. */
    String describe() {
        return embedded != null ? "embedded broker in this JVM" : "external";
    }

    /** A new topic name under {@code prefix}, deleted when this closes. */
    String newTopic(String prefix) {
        String topic = prefix + "." + System.currentTimeMillis() + "." + topics.size();
        topics.add(topic);
        return topic;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        } else if (!topics.isEmpty()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                admin.deleteTopics(topics).all().toCompletionStage().toCompletableFuture().join();
            }
        }
    }
}
