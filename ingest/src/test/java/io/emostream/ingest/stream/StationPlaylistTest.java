package io.emostream.ingest.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class StationPlaylistTest {
    private static final URI BASE = URI.create("https://radio.example.org/listen/station.pls");

    @Test
    void plsAndM3uGiveTheirFirstStreamAndOtherTextNone() {
        assertThat(StationPlaylist.firstEntry(BASE, """
                [playlist]
                NumberOfEntries=2
                Title1=Main
                File1=https://ice1.example.org/live.mp3
                File2=https://ice2.example.org/live.mp3
                """)).isEqualTo(URI.create("https://ice1.example.org/live.mp3"));
        assertThat(StationPlaylist.firstEntry(BASE, "#EXTM3U\n#EXTINF:-1,Main\n/mounts/live.aac\nhttp://backup/live.aac\n"))
                .isEqualTo(URI.create("https://radio.example.org/mounts/live.aac"));
        assertThat(StationPlaylist.firstEntry(BASE, "Welcome to our radio! Listen below.")).isNull();
        assertThat(StationPlaylist.firstEntry(BASE, "[playlist]\nFile1=ftp://old.example.org/live.mp3\n")).isNull();
    }
}
