package io.emostream.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The station paces an MP3 at the bit rate its first frame declares (the fixtures' rates are set by their script). */
class IcyStationTest {
    private static final Path MEDIA = Path.of(System.getProperty("emostream.media.fixtures"));

    @Test
    void readsTheBitRateOfMpeg1AndMpeg2LayerIIIFrames() throws IOException {
        assertThat(IcyStation.bitRate(MEDIA.resolve("speech-44k1-stereo.mp3"))).as("MPEG-1, 44.1 kHz, -b:a 64k").isEqualTo(64_000);
        assertThat(IcyStation.bitRate(MEDIA.resolve("podcast-mono-16k.mp3"))).as("MPEG-2, 16 kHz, -b:a 32k").isEqualTo(32_000);
    }

    @Test
    void aFileWithoutMp3FramesIsRefusedInOneSentence(@TempDir Path dir) throws IOException {
        Path aac = MEDIA.resolve("podcast-mono-16k.m4a");
        assertThatThrownBy(() -> IcyStation.bitRate(aac)).isInstanceOf(IOException.class)
                .hasMessage(aac + " is not an MP3 file (no MPEG audio layer III frame in it)");
        Path text = Files.writeString(dir.resolve("notes.mp3"), "meeting notes\n");
        assertThatThrownBy(() -> IcyStation.bitRate(text)).hasMessageEndingWith("is not an MP3 file (no MPEG audio layer III frame in it)");
    }
}
