package io.emostream.schema.codec;

/** A record's bytes cannot be read as the expected emostream type; the message says why in one sentence. */
public final class UnreadableRecordException extends RuntimeException {
    public UnreadableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
