package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * bin/emotion bench streams as a user runs it: a real station, real decoders, a real broker. Three streams are far
 * below what the machine carries, so all must keep up; the other figures are the machine's, and only their sense is
 * checked.
 */
@Timeout(180)
class BenchStreamsCommandTest {
    private static final Path MEDIA = Path.of(System.getProperty("emostream.media.fixtures"));

    @Test
    void threeStreamsAllKeepUpAndEachDecoderIsMeasured() {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        cli.setErr(new PrintWriter(stderr, true));

        int status = cli.execute("bench", "streams", "--streams", "3", "--seconds", "8", "--ramp", "1",
                "--mp3", MEDIA.resolve("podcast-mono-16k.mp3").toString());

        assertThat(status).as("%s%s", stdout, stderr).isZero();
        String row = stdout.toString().lines().filter(l -> l.startsWith("| 3 |")).findFirst().orElseThrow();
        String[] cells = row.split(" *\\| *");
        assertThat(cells).as(row).hasSize(8);
        assertThat(cells[2]).isEqualTo("3 of 3");
        // Chunks of 100 ms reach Kafka within a second of the station sending their audio, and the lag does not grow.
        assertThat(firstNumber(cells[3])).isBetween(0.0, 2.0);
        assertThat(Double.parseDouble(cells[4])).isLessThan(0.5);
        String[] cpu = cells[5].split(" \\+ ");
        assertThat(Double.parseDouble(cpu[0])).as("the ingest JVM's CPU").isPositive();
        assertThat(Double.parseDouble(cpu[1])).as("the decoders' CPU, counted once they were reaped").isPositive();
        // A JVM with FFmpeg loaded holds tens of MiB; the decoders were found and sampled while they played.
        assertThat(firstNumber(cells[6])).isBetween(20.0, 400.0);
    }

    @Test
    void aFileThatIsNotAnMp3IsOneSentence(@TempDir Path dir) throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.mp3"), "not a recording\n".repeat(50));
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setErr(new PrintWriter(stderr, true));

        int status = cli.execute("bench", "streams", "--streams", "1", "--seconds", "5", "--mp3", notes.toString());

        assertThat(status).isEqualTo(1);
        assertThat(stderr.toString()).isEqualTo("streams: --mp3: " + notes + " is not an MP3 file (no MPEG audio layer III frame in it)."
                + System.lineSeparator());
    }

    private static double firstNumber(String cell) {
        return Double.parseDouble(cell.split(" ")[0]);
    }
}
