package io.emostream.ingest.chunk;

import io.emostream.ingest.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who speaks on a call's channels and what the call belongs to, when the caller knows: agent ids or host names per
 * channel, and a series (show, queue, campaign). The sinks keep summaries per agent and per series. Telephony
 * platforms also say who called whom (ANI, DNIS, their own call ids): that goes in {@code metadata}, which every
 * chunk carries as {@code AudioChunk.sourceMetadata}.
 *
 * @param speakers one name per channel, from channel 0; null or missing entries are unknown speakers
 * @param series   the call's series, or null
 * @param metadata what the source said about the call, e.g. {@code ani}, {@code dnis}; personal data
 */
public record CallIdentity(List<String> speakers, String series, Map<String, String> metadata) {
    /** Names are at most this long. */
    public static final int MAX_NAME = 128;
    /** Metadata values are cut to this length, and at most this many entries are kept. */
    public static final int MAX_METADATA_VALUE = 512;
    public static final int MAX_METADATA_ENTRIES = 32;
    public static final CallIdentity NONE = new CallIdentity(List.of(), null);

    public CallIdentity(List<String> speakers, String series) {
        this(speakers, series, Map.of());
    }

    public CallIdentity {
        speakers = new ArrayList<>(speakers);
        speakers.forEach(name -> requireValid("speaker", name));
        speakers = java.util.Collections.unmodifiableList(speakers);
        requireValid("series", series);
        Map<String, String> kept = new TreeMap<>();
        metadata.forEach((key, value) -> {
            if (key != null && value != null && kept.size() < MAX_METADATA_ENTRIES) {
                kept.put(key, value.length() > MAX_METADATA_VALUE ? value.substring(0, MAX_METADATA_VALUE) : value);
            }
        });
        metadata = java.util.Collections.unmodifiableMap(kept);
    }

    /** The same speakers and series with other metadata. */
    public CallIdentity withMetadata(Map<String, String> metadata) {
        return new CallIdentity(speakers, series, metadata);
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
            throw new InvalidInputException(what + " name '" + InvalidInputException.printable(name) + "' must be 1 to "
                    + MAX_NAME + " characters without control characters");
        }
    }
}
