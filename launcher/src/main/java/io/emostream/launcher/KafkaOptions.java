package io.emostream.launcher;

import io.emostream.ingest.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Options every command that talks to Kafka shares. */
final class KafkaOptions {
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "${EMOSTREAM_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}; env EMOSTREAM_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties (security, timeouts) that override emostream's producer defaults.")
    Path kafkaConfig;

    @Option(names = "--partitions", defaultValue = "" + KafkaSettings.DEFAULT_PARTITIONS,
            description = "Partitions for a topic that does not exist yet and is created (default: ${DEFAULT-VALUE}).")
    int partitions;

    KafkaSettings settings(String topic) {
        Properties overrides = kafkaConfig == null ? new Properties() : KafkaSettings.loadClientConfig(kafkaConfig);
        return new KafkaSettings(bootstrap, topic, partitions, overrides);
    }
}
