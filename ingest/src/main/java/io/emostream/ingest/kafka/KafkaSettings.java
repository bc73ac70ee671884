package io.emostream.ingest.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where chunks go: the brokers, the topic, and any client settings of the user's cluster (security, timeouts)
 * from a properties file, which override emostream's producer defaults.
 *
 * @param partitions partitions for the topic if it has to be created
 */
public record KafkaSettings(String bootstrapServers, String topic, int partitions, Properties clientOverrides) {

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("no Kafka bootstrap servers given; use --bootstrap HOST:PORT");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("the topic name is empty");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least one partition");
        }
        Properties copy = new Properties();
        copy.putAll(clientOverrides);
        clientOverrides = copy;
    }

    public static KafkaSettings of(String bootstrapServers, String topic) {
        return new KafkaSettings(bootstrapServers, topic, 12, new Properties());
    }

    /** Reads Kafka client settings from a properties file; one sentence if the file cannot be read. */
    public static Properties loadClientConfig(Path file) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Kafka client config " + file + " does not exist", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Kafka client config " + file + " cannot be read: " + e.getMessage(), e);
        }
        return props;
    }
}
