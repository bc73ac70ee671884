package io.emostream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class EmbeddedKafkaTest {

    @Test
    void createsTopicsAndCarriesRecordsOverTcp() throws Exception {
        Path dataDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("greetings", 3).start();
             Admin admin = kafka.admin()) {
            dataDir = kafka.dataDir();
            assertThat(kafka.topics()).contains("greetings");
            assertThat(admin.describeTopics(List.of("greetings")).allTopicNames().get().get("greetings").partitions())
                    .hasSize(3);

            produce(kafka, "greetings", "call-1", "hello");

            assertThat(consumeAll(kafka, "greetings", 1)).containsExactly("call-1=hello");
        }
        assertThat(dataDir).as("a temporary data directory is deleted on close").doesNotExist();
    }

    @Test
    void aGivenDataDirectoryKeepsRecordsAcrossRestartsOnAFixedPort(@TempDir Path dir) throws Exception {
        int port;
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDir(dir).topic("kept", 1).start()) {
            port = first.port();
            produce(first, "kept", "k", "before restart");
        }
        assertThat(Files.exists(dir.resolve("log").resolve("meta.properties"))).isTrue();

        try (EmbeddedKafka second = EmbeddedKafka.builder().dataDir(dir).port(port).start()) {
            assertThat(second.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(consumeAll(second, "kept", 1)).containsExactly("k=before restart");
        }
    }

    private static void produce(EmbeddedKafka kafka, String topic, String key, String value) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("produce failed", e);
        }
    }

    private static List<String> consumeAll(EmbeddedKafka kafka, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value());
                }
            }
        }
        return seen;
    }
}
