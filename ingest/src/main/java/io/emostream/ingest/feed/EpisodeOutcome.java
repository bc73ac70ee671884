package io.emostream.ingest.feed;

import io.emostream.ingest.file.IngestOutcome;

/**
 * What became of one episode in a pass over a feed. Only {@link Ingested} episodes are remembered in the state
 * file; the others are tried again (at the next poll when following, else on the next run), so nothing is lost.
 */
public sealed interface EpisodeOutcome {
    Episode episode();

    String callId();

    /** Ingested as a call, every chunk acknowledged by Kafka, and remembered. */
    record Ingested(Episode episode, IngestOutcome.Ingested call) implements EpisodeOutcome {
        @Override
        public String callId() {
            return call.callId();
        }
    }

    /**
     * Not ingested, or not completely: the enclosure could not be fetched or decoded, or Kafka refused chunks.
     *
     * @param reason one sentence naming the enclosure and what went wrong, and when the episode is tried again
     * @param ingest what the ingest said when it got that far (a call may have been sent in part), else null
     */
    record Failed(Episode episode, String callId, String reason, IngestOutcome ingest) implements EpisodeOutcome {
    }

    /**
     * Cut short by a stop request: either before its recording was fetched, or during its ingest, whose call was
     * then ended at the audio read so far. Not remembered: the next run ingests it whole, under the same call id.
     *
     * @param ingest what the ingest said, or null when it was stopped before the ingest began
     */
    record Stopped(Episode episode, String callId, IngestOutcome ingest) implements EpisodeOutcome {
    }
}
