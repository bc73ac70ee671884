package io.emostream.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.ingest.ChunkTopic;
import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(300)
class ChunkPublisherTest {

    /**
     * Kafka 4.2 can drop an idempotent producer's first batch to a partition whose leader has not opened it yet
     * (KAFKA-15591). Ingest creates missing topics and writes at once, so it must wait for the leaders first.
     */
    @Test
    void writingToTopicsItJustCreatedLosesNothing() {
        Properties failFast = new Properties();
        // A lost batch would otherwise only surface after the default two-minute delivery timeout.
        failFast.setProperty("delivery.timeout.ms", "8000");
        failFast.setProperty("request.timeout.ms", "3000");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
            for (int round = 0; round < 6; round++) {
                String topic = "fresh-" + round;
                int calls = 24;
                try (ChunkPublisher publisher = ChunkPublisher.open(new KafkaSettings(kafka.bootstrapServers(), topic, 12, failFast))) {
                    for (int call = 0; call < calls; call++) {
                        CallChunker chunker = new CallChunker(new CallFormat("call-" + call, 8000, AudioEncoding.MULAW,
                                List.of(SpeakerRole.CUSTOMER), "test:"), 80, 0L);
                        CallDelivery delivery = new CallDelivery("call-" + call);
                        publisher.sendAll(chunker.append(new byte[][] {new byte[800]}), delivery);
                        publisher.sendAll(chunker.finish(), delivery);
                    }
                    publisher.flush();
                    assertThat(publisher.failed()).as("round %d: %s", round, publisher.firstFailure()).isZero();
                    assertThat(publisher.delivered()).isEqualTo(calls * 11L);
                }
                assertThat(ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, calls).records()).hasSize(calls * 11);
            }
        }
    }
}
