package io.emostream.job.phrases;

/** A phrase rule file that cannot be read or used; the message is one sentence naming the file, the line and the fault. */
public final class RuleFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RuleFileException(String message) {
        super(message);
    }

    RuleFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
