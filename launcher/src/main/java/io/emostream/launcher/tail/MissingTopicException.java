package io.emostream.launcher.tail;

/** The topic to tail does not exist; the message names it, the brokers, and the topics there are. */
public final class MissingTopicException extends RuntimeException {
    MissingTopicException(String message) {
        super(message);
    }
}
