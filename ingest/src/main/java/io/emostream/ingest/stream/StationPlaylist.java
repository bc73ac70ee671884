package io.emostream.ingest.stream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The playlists radio stations link to instead of their streams: PLS ({@code [playlist]}, {@code File1=URL}) and
 * plain M3U (one address per line, {@code #} comments). Only the first entry is wanted: a station's entries are
 * mirrors of one stream.
 */
final class StationPlaylist {
    private StationPlaylist() {
    }

    /**
     * The first http(s) entry of a PLS or M3U text, resolved against {@code base}; null when the text is neither. A
     * relative entry counts only in an extended M3U (one that starts with #EXTM3U): in other text, a first line
     * such as "Welcome!" would pass for a relative address.
     */
    static URI firstEntry(URI base, String text) {
        boolean pls = text.stripLeading().toLowerCase(Locale.ROOT).startsWith("[playlist]");
        boolean extended = text.stripLeading().startsWith("#EXTM3U");
        for (String line : text.lines().map(String::strip).toList()) {
            String entry;
            if (pls) {
                int equals = line.indexOf('=');
                entry = equals > 0 && line.substring(0, equals).toLowerCase(Locale.ROOT).matches("file\\d+") ? line.substring(equals + 1).strip() : null;
            } else {
                entry = line.isEmpty() || line.startsWith("#") ? null : line;
            }
            URI uri = entry == null || entry.matches(".*\\s.*") || !(pls || extended || entry.matches("(?i)https?://.*"))
                    ? null : parse(base, entry);
            if (uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return uri;
            }
            if (!pls && entry != null) {
                return null; // the first entry of an M3U is not a URL: this is some other text
            }
        }
        return null;
    }

    private static URI parse(URI base, String entry) {
        try {
            return base.resolve(new URI(entry));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
