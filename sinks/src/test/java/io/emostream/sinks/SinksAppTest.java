package io.emostream.sinks;

import static io.emostream.sinks.Events.angry;
import static io.emostream.sinks.Events.calm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.StreamEnd;
import io.emostream.schema.StreamEndReason;
import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.kafka.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("events", 2).topic("ends", 2).topic("summary", 2)
                .topic("alerts", 2).topic("dead", 1).start()) {
            SinksConfig config = SinksConfig.defaults(kafka.bootstrapServers()).withTopics("events", "summary", "alerts", "dead")
                    .withStreamEndsTopic("ends").withApplicationId("sinks-restart");
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

                // The job says c2's only channel has ended: c2's summary says so, from the other topic.
                StreamEnd end = StreamEnd.newBuilder().setCallId("c2").setChannel(0).setRole(SpeakerRole.AGENT)
                        .setChannels(1).setReason(StreamEndReason.IDLE).setEndMs(4_000).setEndTimeMs(77_000).build();
                send(kafka, "ends", "c2", RecordCodec.of(StreamEnd.class).encode(end));
                CallSummary c2 = read(kafka, "summary", CallSummary.class, 8).stream()
                        .filter(s -> s.getCallId().equals("c2")).reduce((first, second) -> second).orElseThrow();
                assertThat(c2.getEndedAtMs()).isEqualTo(77_000L);
                assertThat(app.calls().get("c1").ended()).isFalse();
            }
        }
    }

    @Test
    void theApplicationRefusesToStartWhenItsInputTopicsCannotMeetInOneTask(@TempDir Path dir) {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("events", 4).topic("ends", 2).start()) {
            SinksConfig config = SinksConfig.defaults(kafka.bootstrapServers()).withTopics("events", "summary", "alerts", "dead")
                    .withApplicationId("sinks-partitions");

            assertThatThrownBy(() -> SinksApp.start(config.withStreamEndsTopic("ends"), dir))
                    .isInstanceOf(SinksApp.InputTopicsException.class)
                    .hasMessage("Topics events (4 partitions) and ends (2) must have the same number of partitions, so"
                            + " that a call's events and the ends of its streams meet in one task; recreate ends with 4.");
            assertThatThrownBy(() -> SinksApp.start(config.withStreamEndsTopic("missing"), dir))
                    .isInstanceOf(SinksApp.InputTopicsException.class)
                    .hasMessageStartingWith("The Streams application reads topics events and missing, and one of them does not exist on ");
            assertThatThrownBy(() -> SinksApp.start(SinksConfig.defaults("no-such-host.invalid:9092"), dir))
                    .isInstanceOf(SinksApp.InputTopicsException.class)
                    .hasMessageStartingWith("The Kafka bootstrap servers 'no-such-host.invalid:9092' are not usable (")
                    .hasMessageEndingWith("); check --bootstrap.");
        }
    }

    private static void produce(EmbeddedKafka kafka, EmotionEvent... events) {
        RecordCodec<EmotionEvent> codec = RecordCodec.of(EmotionEvent.class);
        send(kafka, Arrays.stream(events).map(e -> new ProducerRecord<>("events", e.getCallId(), codec.encode(e))).toList());
    }

    private static void send(EmbeddedKafka kafka, String topic, String key, byte[] value) {
        send(kafka, List.of(new ProducerRecord<>(topic, key, value)));
    }

    private static void send(EmbeddedKafka kafka, List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            records.forEach(producer::send);
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
