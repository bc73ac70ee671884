package io.emostream.job;

import io.emostream.schema.AudioChunk;
import io.emostream.schema.kafka.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the job's integration tests share: a fail-fast Flink environment and a way to put records in Kafka. */
final class FlinkKafkaTestKit {
    private FlinkKafkaTestKit() {
    }

    /** Two-way parallel, and a failure fails the test instead of restarting forever. */
    static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, AudioChunk chunk) {
        return new ProducerRecord<>(topic, chunk.getCallId().getBytes(StandardCharsets.UTF_8),
                AvroSerde.of(AudioChunk.class).serializer().serialize(topic, chunk));
    }

    static void produce(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get();
            }
        }
    }
}
