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

    /**
     * Text the input gave, as a message shows it: control characters as {@code \xNN}, so that a line break in a
     * name cannot break the message's one line (or forge a log line).
     */
    public static String printable(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            shown.append(Character.isISOControl(c) ? String.format("\\x%02X", (int) c) : String.valueOf(c));
        }
        return shown.toString();
    }
}
