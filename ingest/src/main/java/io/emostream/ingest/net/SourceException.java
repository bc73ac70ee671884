package io.emostream.ingest.net;

import java.io.IOException;

/**
 * A URL that gave no usable answer: unreachable, refused, a TLS failure, an HTTP error, a stall, content that is
 * not what was asked for. The message is one sentence about the URL, fit to show a user. {@link #retriable()} tells
 * whether trying again later can help (a dropped connection can; a 404 on a feed cannot, though a live mount that
 * lost its source answers 404 too: live streams retry whatever the cause once they have played).
 */
public final class SourceException extends IOException {
    private final boolean retriable;

    public SourceException(String message, boolean retriable) {
        super(message);
        this.retriable = retriable;
    }

    public SourceException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
