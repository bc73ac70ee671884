package io.emostream.ingest.chunk;

import io.emostream.ingest.InvalidInputException;
import io.emostream.schema.SpeakerRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Speaker roles as users write them: {@code agent,customer}; channel i takes role i. */
public final class SpeakerRoles {
    private SpeakerRoles() {
    }

    /** Parses a comma-separated list; throws with one sentence naming the unknown role and the valid ones. */
    public static List<SpeakerRole> parse(String commaSeparated) {
        List<SpeakerRole> roles = new ArrayList<>();
        for (String name : commaSeparated.split(",")) {
            roles.add(parseOne(name.strip()));
        }
        return roles;
    }

    public static SpeakerRole parseOne(String name) {
        try {
            return SpeakerRole.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("unknown speaker role '" + InvalidInputException.printable(name)
                    + "'; use one of " + String.join(", ", names()), e);
        }
    }

    /** Roles for a call with this many channels: the given ones in order, UNKNOWN for channels beyond them. */
    public static List<SpeakerRole> forChannels(List<SpeakerRole> given, int channels) {
        List<SpeakerRole> roles = new ArrayList<>(channels);
        for (int channel = 0; channel < channels; channel++) {
            roles.add(channel < given.size() ? given.get(channel) : SpeakerRole.UNKNOWN);
        }
        return roles;
    }

    public static String describe(List<SpeakerRole> roles) {
        return String.join(", ", roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static List<String> names() {
        return Arrays.stream(SpeakerRole.values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList();
    }
}
