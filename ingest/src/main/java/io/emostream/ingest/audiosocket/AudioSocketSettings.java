package io.emostream.ingest.audiosocket;

import io.emostream.ingest.live.SourceAllowList;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.SpeakerRoles;
import io.emostream.schema.SpeakerRole;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One AudioSocket listening port. AudioSocket carries no role, so the port names it: a dialplan sends the caller's
 * channel to one port and the agent's to another (e.g. {@code --audiosocket 9092 --audiosocket 9093:agent}).
 *
 * @param host      address to bind, {@code 127.0.0.1} by default
 * @param port      TCP port; 0 picks a free one
 * @param role      role of every call on this port, {@code CUSTOMER} by default
 * @param allowList source addresses accepted; {@link SourceAllowList#ANY} by default. AudioSocket has no authentication,
 *                  so a port on a non-local interface needs one (or an explicit {@code --no-auth})
 */
public record AudioSocketSettings(String host, int port, SpeakerRole role, SourceAllowList allowList) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final SpeakerRole DEFAULT_ROLE = SpeakerRole.CUSTOMER;

    private static final Pattern OPTION = Pattern.compile("(\\d{1,5})(?::(.*))?");

    public AudioSocketSettings {
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("AudioSocket port " + port + " is not a TCP port (0 to 65535)");
        }
    }

    public static AudioSocketSettings defaults(int port) {
        return new AudioSocketSettings(DEFAULT_HOST, port, DEFAULT_ROLE, SourceAllowList.ANY);
    }

    /** Parses the option value {@code PORT[:ROLE]}, e.g. {@code 9092} or {@code 9093:agent}. */
    public static AudioSocketSettings parse(String option) {
        Matcher m = OPTION.matcher(option.strip());
        if (!m.matches()) {
            throw new InvalidInputException("--audiosocket '" + option + "' must be PORT or PORT:ROLE, e.g. 9092 or 9093:agent");
        }
        AudioSocketSettings settings = defaults(Integer.parseInt(m.group(1)));
        return m.group(2) == null ? settings : settings.withRole(SpeakerRoles.parseOne(m.group(2).strip()));
    }

    public AudioSocketSettings withHost(String host) {
        return new AudioSocketSettings(host, port, role, allowList);
    }

    public AudioSocketSettings withRole(SpeakerRole role) {
        return new AudioSocketSettings(host, port, role, allowList);
    }

    public AudioSocketSettings withAllowList(SourceAllowList allowList) {
        return new AudioSocketSettings(host, port, role, allowList);
    }
}
