package io.emostream.ingest.kafka;

import io.emostream.ingest.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where chunks go: the brokers, the topic, and any client settings of the user's cluster (security, timeouts)
 * from a properties file, which override emostream's producer defaults except the delivery guarantees.
 *
 * @param partitions partitions for the topic if it has to be created
 */
public record KafkaSettings(String bootstrapServers, String topic, int partitions, Properties clientOverrides) {
    public static final int DEFAULT_PARTITIONS = 12;

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new InvalidInputException("no Kafka bootstrap servers given; use --bootstrap HOST:PORT");
        }
        if (topic == null || topic.isBlank()) {
            throw new InvalidInputException("the topic name is empty");
        }
        if (partitions < 1) {
            throw new InvalidInputException("a topic needs at least one partition, not " + partitions);
        }
        Properties copy = new Properties();
        copy.putAll(clientOverrides);
        requireGuaranteesKept(copy);
        clientOverrides = copy;
    }

    public static KafkaSettings of(String bootstrapServers, String topic) {
        return new KafkaSettings(bootstrapServers, topic, DEFAULT_PARTITIONS, new Properties());
    }

    /** Reads Kafka client settings from a properties file; one sentence if the file cannot be read. */
    public static Properties loadClientConfig(Path file) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("Kafka client config " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new InvalidInputException("Kafka client config " + file + " cannot be read: permission denied", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException("Kafka client config " + file + " cannot be read: " + e.getMessage(), e);
        }
        return props;
    }

    /** Without acks=all and idempotence, a retry could lose, duplicate or reorder a call's chunks. */
    private static void requireGuaranteesKept(Properties overrides) {
        String acks = overrides.getProperty("acks");
        if (acks != null && !acks.strip().equals("all") && !acks.strip().equals("-1")) {
            throw new InvalidInputException("the Kafka client config sets acks=" + acks.strip()
                    + ", but ingest needs acks=all so that no chunk is lost; remove that setting");
        }
        String idempotence = overrides.getProperty("enable.idempotence");
        if (idempotence != null && !idempotence.strip().equalsIgnoreCase("true")) {
            throw new InvalidInputException("the Kafka client config sets enable.idempotence=" + idempotence.strip()
                    + ", but ingest needs an idempotent producer so retries never duplicate or reorder chunks; remove that setting");
        }
    }
}
