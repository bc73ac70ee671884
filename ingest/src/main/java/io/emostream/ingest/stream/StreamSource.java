package io.emostream.ingest.stream;

import java.io.InputStream;

/**
 * A live source as runs of bytes, each decoded by a decoder of its own: one connection to an Icecast server, or HLS
 * segments up to a change of encoding. Between runs time may have been lost (a reconnect, segments that rolled off
 * the playlist before they were fetched); the call then records a discontinuity rather than joining the audio
 * across it.
 */
interface StreamSource {
    /**
     * @param bytes       the run's bytes as they arrive; the run ends when they do
     * @param gapSeconds  audio lost before this run: 0 when it joins on (the first run, a new encoding)
     * @param description what happened before it, for the user (e.g. "reconnected after 4.2 s"); empty for the first
     */
    record Run(InputStream bytes, double gapSeconds, String description) {
    }

    /**
     * The next run: the first, or one after the last ended, reconnecting as needed (with backoff) until it succeeds,
     * the source is done, or a stop is requested.
     *
     * @return null when there is no more: the stream ended for good, was given up on, or a stop was requested
     */
    Run next() throws InterruptedException;

    /** Why the source gave up, for the user; null while it has not. */
    String gaveUp();

    /** Ends the run being read at once (a stop request): its bytes end. */
    void interrupt();
}
