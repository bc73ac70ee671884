package io.emostream.ingest.file;

import java.util.List;

/** What became of one input: ingested as a call (perhaps with warnings), or rejected with a reason. */
public sealed interface IngestOutcome {
    /** The file name or stream name the user knows the input by. */
    String input();

    record Ingested(String input, String callId, String description, double seconds, long chunks, List<String> warnings)
            implements IngestOutcome {
    }

    record Rejected(String input, String reason) implements IngestOutcome {
    }
}
