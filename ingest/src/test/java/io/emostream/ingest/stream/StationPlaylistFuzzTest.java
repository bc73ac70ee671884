package io.emostream.ingest.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Any text a station links to gives no entry or an absolute http(s) address, never an exception; in an M3U (not a
 * PLS) that address is the first entry itself, so other text never passes for a playlist through a later line. The
 * unit tests run the seeds and past findings (in {@code src/test/resources/.../StationPlaylistFuzzTestInputs});
 * {@code bin/fuzz} fuzzes it for a while.
 */
class StationPlaylistFuzzTest {
    private static final URI BASE = URI.create("https://radio.example.org/listen/station.pls");

    @FuzzTest
    void anyTextIsAnHttpEntryOrNone(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);

        URI entry = StationPlaylist.firstEntry(BASE, text);

        if (entry == null) {
            return;
        }
        assertThat(entry.isAbsolute()).as("%s is absolute", entry).isTrue();
        assertThat(entry.getScheme()).isIn("http", "https");
        if (!text.stripLeading().toLowerCase(Locale.ROOT).startsWith("[playlist]")) {
            String first = text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .findFirst().orElseThrow();
            assertThat(entry).isEqualTo(BASE.resolve(URI.create(first)));
        }
    }
}
