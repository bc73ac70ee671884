package io.emostream.sinks;

import static io.emostream.sinks.Events.angry;
import static io.emostream.sinks.Events.calm;
import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.kafka.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Streams application on a real broker, exactly-once, stopped and restarted on a fresh state directory. */
@Timeout(120)
class SinksAppTest {

    @Test
    void aRestartedApplicationRestoresItsCallsAndRaisesNoAlertTwice(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("events", 2).topic("summary", 2).topic("alerts", 2)
                .topic("dead", 1).start()) {
            SinksConfig config = SinksConfig.defaults(kafka.bootstrapServers()).withTopics("events", "summary", "alerts", "dead")
                    .withApplicationId("sinks-restart");
            try (SinksApp app = SinksApp.start(config, dir.resolve("first"))) {
                produce(kafka, calm("c1", SpeakerRole.AGENT, 0), angry("c1", SpeakerRole.CUSTOMER, 3),
                        angry("c1", SpeakerRole.CUSTOMER, 6), angry("c1", SpeakerRole.CUSTOMER, 9), calm("c2", SpeakerRole.AGENT, 0));
                assertThat(read(kafka, "alerts", Alert.class, 1)).singleElement()
                        .satisfies(alert -> assertThat(alert.getRule()).isEqualTo("customer_escalation"));
            }

            try (SinksApp app = SinksApp.start(config, dir.resolve("second"))) {
                // The same escalation goes on, and one event arrives again, as an at-least-once job may send it.
                produce(kafka, angry("c1", SpeakerRole.CUSTOMER, 12), angry("c1", SpeakerRole.CUSTOMER, 9),
                        angry("c1", SpeakerRole.CUSTOMER, 15));
                List<CallSummary> summaries = read(kafka, "summary", CallSummary.class, 7);
                CallSummary last = summaries.stream().filter(s -> s.getCallId().equals("c1"))
                        .reduce((first, second) -> second).orElseThrow();
                assertThat(last.getUtterances()).as("restored count, the replay not counted").isEqualTo(6);
                assertThat(read(kafka, "alerts", Alert.class, 1)).hasSize(1);
                assertThat(app.calls().get("c1").utterances).isEqualTo(6);
            }
        }
    }

    private static void produce(EmbeddedKafka kafka, EmotionEvent... events) {
        RecordCodec<EmotionEvent> codec = RecordCodec.of(EmotionEvent.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (EmotionEvent event : events) {
                producer.send(new ProducerRecord<>("events", event.getCallId(), codec.encode(event)));
            }
        }
    }

    /** Reads committed records until {@code expected} have come and then 3 s pass without more. */
    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(EmbeddedKafka kafka, String topic,
                                                                                    Class<T> type, int expected) {
        Deserializer<T> values = AvroSerde.of(type).deserializer();
        List<T> records = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long quietSince = System.nanoTime();
            while (records.size() < expected || System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
                var batch = consumer.poll(Duration.ofMillis(200));
                batch.forEach(record -> records.add(record.value()));
                if (!batch.isEmpty()) {
                    quietSince = System.nanoTime();
                }
            }
        }
        return records;
    }
}
