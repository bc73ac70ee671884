package io.emostream.ingest.live;

import io.emostream.ingest.chunk.CallChunker;
import java.time.Duration;

/**
 * Limits every live protocol of one ingest process shares.
 *
 * @param maxCalls        calls streaming at once, over all protocols; one more is refused with the protocol's own error
 * @param maxMessageBytes largest message (WebSocket message, AudioSocket frame) accepted; a bigger one ends the call
 * @param idleTimeout     a connection (or RTP stream) that sends nothing for this long ends its call
 * @param chunkMs         audio per chunk written to Kafka
 */
public record LiveLimits(int maxCalls, int maxMessageBytes, Duration idleTimeout, int chunkMs) {
    public static final int DEFAULT_MAX_CALLS = 2000;

    public LiveLimits {
        if (maxCalls < 1) {
            throw new IllegalArgumentException("at least one call must be allowed, not " + maxCalls);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("messages of at least 1024 bytes must be allowed, not " + maxMessageBytes);
        }
        CallChunker.requireValidChunkMs(chunkMs);
    }

    public static LiveLimits defaults() {
        return new LiveLimits(DEFAULT_MAX_CALLS, 1 << 20, Duration.ofSeconds(60), 100);
    }

    public LiveLimits withMaxCalls(int maxCalls) {
        return new LiveLimits(maxCalls, maxMessageBytes, idleTimeout, chunkMs);
    }

    public LiveLimits withMaxMessageBytes(int maxMessageBytes) {
        return new LiveLimits(maxCalls, maxMessageBytes, idleTimeout, chunkMs);
    }

    public LiveLimits withIdleTimeout(Duration idleTimeout) {
        return new LiveLimits(maxCalls, maxMessageBytes, idleTimeout, chunkMs);
    }

    public LiveLimits withChunkMs(int chunkMs) {
        return new LiveLimits(maxCalls, maxMessageBytes, idleTimeout, chunkMs);
    }
}
