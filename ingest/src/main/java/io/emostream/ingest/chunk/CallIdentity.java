package io.emostream.ingest.chunk;

import io.emostream.ingest.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Who speaks on a call's channels and what the call belongs to, when the caller knows: agent ids or host names per
 * channel, and a series (show, queue, campaign). The sinks keep summaries per agent and per series.
 *
 * @param speakers one name per channel, from channel 0; null or missing entries are unknown speakers
 * @param series   the call's series, or null
 */
public record CallIdentity(List<String> speakers, String series) {
    /** Names are at most this long. */
    public static final int MAX_NAME = 128;
    public static final CallIdentity NONE = new CallIdentity(List.of(), null);

    public CallIdentity {
        speakers = new ArrayList<>(speakers);
        speakers.forEach(name -> requireValid("speaker", name));
        speakers = java.util.Collections.unmodifiableList(speakers);
        requireValid("series", series);
    }

    /** From a comma-separated list such as "sam,,dana" (an empty entry: that channel's speaker is unknown). */
    public static CallIdentity parse(String speakers, String series) {
        List<String> names = speakers == null || speakers.isBlank() ? List.of()
                : Arrays.stream(speakers.split(",", -1)).map(String::strip).map(name -> name.isEmpty() ? null : name).toList();
        return new CallIdentity(names, series == null || series.isBlank() ? null : series.strip());
    }

    /** The speaker of a channel, or null. */
    public String speaker(int channel) {
        return channel < speakers.size() ? speakers.get(channel) : null;
    }

    private static void requireValid(String what, String name) {
        if (name == null) {
            return;
        }
        if (name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(what + " name '" + name + "' must be 1 to " + MAX_NAME
                    + " characters without control characters");
        }
    }
}
