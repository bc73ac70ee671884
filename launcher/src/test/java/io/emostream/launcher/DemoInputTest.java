package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code demo --input FOLDER}: which files it replays, and the sentence for a folder without recordings. */
class DemoInputTest {

    @Test
    void aFolderIsSearchedForEveryRecordingFormatInNameOrder(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"c.flac", "a.mp3", "notes.txt", "b.WAV", "d.webm", "cover.jpg"}) {
            Files.writeString(dir.resolve(name), "x");
        }
        Files.createDirectories(dir.resolve("older.mp3"));

        assertThat(DemoCommand.recordingsIn(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("a.mp3", "b.WAV", "c.flac", "d.webm");
    }

    @Test
    void aFolderWithoutRecordingsIsBadUsageBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not audio");
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setErr(new PrintWriter(stderr, true));

        int status = cli.execute("demo", "--port", "0", "--input", dir.toString());

        assertThat(status).isEqualTo(2);
        assertThat(stderr.toString()).contains("--input holds no recordings (WAV, or any of aac, flac, m4a, m4v, mkv, mov, mp3, mp4, oga, ogg, opus, wav, webm).")
                .doesNotContain("\tat ");
    }
}
