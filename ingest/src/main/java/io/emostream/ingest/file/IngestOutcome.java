package io.emostream.ingest.file;

import io.emostream.ingest.kafka.CallDelivery;
import java.util.List;

/** What became of one input: ingested as a call (perhaps with warnings), or rejected with a reason. */
public sealed interface IngestOutcome {
    /** The file name or stream name the user knows the input by. */
    String input();

    /** @param delivery how Kafka answered this call's chunks; final once {@code delivery.settled()} completes */
    record Ingested(String input, String callId, String description, double seconds, long chunks, List<String> warnings,
                    CallDelivery delivery) implements IngestOutcome {
    }

    record Rejected(String input, String reason) implements IngestOutcome {
    }
}
