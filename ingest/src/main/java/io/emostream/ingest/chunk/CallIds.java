package io.emostream.ingest.chunk;

import io.emostream.ingest.InvalidInputException;

/**
 * Call ids become part of utterance ids ({@code callId/channel/startSample}) and Kafka keys, so they must be
 * unambiguous: no '/', no control characters, at most 200 characters.
 */
public final class CallIds {
    public static final int MAX_LENGTH = 200;

    private CallIds() {
    }

    public static String requireValid(String callId) {
        String problem = problemWith(callId);
        if (problem != null) {
            throw new InvalidInputException(problem);
        }
        return callId;
    }

    /** One sentence saying what is wrong with the id, or null when it is fine. */
    public static String problemWith(String callId) {
        if (callId == null || callId.isBlank()) {
            return "the call id is empty";
        }
        if (callId.length() > MAX_LENGTH) {
            return "the call id is longer than " + MAX_LENGTH + " characters";
        }
        if (callId.indexOf('/') >= 0) {
            return "the call id '" + InvalidInputException.printable(callId)
                    + "' contains '/', which utterance ids use as a separator";
        }
        if (callId.chars().anyMatch(Character::isISOControl)) {
            return "the call id contains control characters";
        }
        return null;
    }

    /**
     * A valid id made from a file name: the name without its extension, with '/' and control characters
     * replaced, shortened to leave room for a uniqueness suffix; "call" for a name with nothing usable in it.
     */
    public static String fromFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        StringBuilder id = new StringBuilder(base.length());
        base.codePoints().forEach(c -> id.appendCodePoint(c == '/' || Character.isISOControl(c) ? '_' : c));
        String stripped = id.toString().strip();
        if (stripped.isEmpty()) {
            return "call";
        }
        return stripped.length() > MAX_LENGTH - 10 ? stripped.substring(0, MAX_LENGTH - 10) : stripped;
    }
}
