package io.emostream.ingest.kafka;

/** Kafka could not be reached or refused what we need; the message is one sentence for the user. */
public final class KafkaUnavailableException extends RuntimeException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
