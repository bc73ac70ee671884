package io.emostream.ingest;

/**
 * Input a user gave cannot be used: an option, a start message, a file name. The message is one sentence naming
 * the thing and what is wrong. Kept apart from {@link IllegalArgumentException}s that mean a bug in emostream.
 */
public final class InvalidInputException extends IllegalArgumentException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
