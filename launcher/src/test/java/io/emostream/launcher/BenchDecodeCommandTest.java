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

/** bin/emotion bench decode as a user runs it, on a real MP3 (figures are the machine's: only their sense is checked). */
@Timeout(120)
class BenchDecodeCommandTest {
    private static final Path MEDIA = Path.of(System.getProperty("emostream.media.fixtures"));

    @Test
    void aRowPerFileNamesTheCodecAndLayoutAndGivesPositiveRates() {
        StringWriter stdout = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));

        int status = cli.execute("bench", "decode", "--runs", "2", "--warmups", "0", MEDIA.resolve("speech-44k1-stereo.mp3").toString());

        assertThat(status).as("%s", stdout).isZero();
        String row = stdout.toString().lines().filter(l -> l.startsWith("| speech-44k1-stereo.mp3 |")).findFirst().orElseThrow();
        String[] cells = row.split(" *\\| *");
        assertThat(cells).as(row).hasSize(9);
        assertThat(cells[2]).isEqualTo("mp3");
        assertThat(cells[3]).isEqualTo("44100");
        assertThat(cells[4]).isEqualTo("2");
        // The WAV it was encoded from is 2.205 s; MP3 decodes to within a frame (26 ms at 44.1 kHz).
        assertThat(Double.parseDouble(cells[5])).isBetween(2.205 - 0.027, 2.205 + 0.027);
        double process = median(cells[6]);
        double decoding = median(cells[7]);
        assertThat(process).isPositive();
        assertThat(decoding).as("the decoding is part of the process's work").isGreaterThan(process);
        assertThat(Double.parseDouble(cells[8])).as("a JVM's start costs CPU").isPositive();
    }

    @Test
    void aFileThatCannotBeDecodedIsOneLineAndExitStatus1(@TempDir Path dir) throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.mp3"), "These are my meeting notes, not a recording.\n".repeat(20));
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setErr(new PrintWriter(stderr, true));

        assertThat(cli.execute("bench", "decode", "--runs", "1", notes.toString())).isEqualTo(1);
        assertThat(stderr.toString()).startsWith("rejected: " + notes + ": FFmpeg cannot open it as audio or video (")
                .hasLineCount(1);
    }

    /** "12 (10-14)" or "1,234 (1,100-1,300)": the median. */
    private static double median(String cell) {
        return Double.parseDouble(cell.substring(0, cell.indexOf(' ')).replace(",", ""));
    }
}
