package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** bin/emotion analyze on an MP3 (FFmpeg, in its child process) finds what it finds on the WAV it was encoded from. */
@Timeout(240)
class AnalyzeMediaTest {
    private static final Path MEDIA = Path.of(System.getProperty("emostream.media.fixtures"));
    private static final Path WAV = MEDIA.resolveSibling("audio").resolve("podcast-mono-16k.wav");
    /** One MP3 frame at 16 kHz (576 samples), the most an utterance's ends may move. */
    private static final long ONE_FRAME_MS = 36;

    private record Run(int status, String stdout, String stderr, List<JsonNode> events) {
    }

    private static Run analyze(Path dir, String... inputs) throws Exception {
        Path out = dir.resolve("events.jsonl");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        cli.setErr(new PrintWriter(stderr, true));
        List<String> args = new ArrayList<>(List.of("analyze", "--out", out.toString()));
        args.addAll(List.of(inputs));
        int status = cli.execute(args.toArray(String[]::new));
        List<JsonNode> events = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.exists(out) ? Files.readAllLines(out) : List.<String>of()) {
            events.add(json.readTree(line));
        }
        return new Run(status, stdout.toString(), stderr.toString(), events);
    }

    @Test
    void anMp3GivesTheUtterancesOfItsWavAndBadMediaFilesGetOneLineEach(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp3"), "not audio\n".repeat(50));
        Run wav = analyze(Files.createDirectory(dir.resolve("wav")), WAV.toString());
        Run mp3 = analyze(Files.createDirectory(dir.resolve("mp3")), MEDIA.resolve("podcast-mono-16k.mp3").toString(),
                text.toString(), MEDIA.resolve("video-no-audio.mp4").toString());

        assertThat(wav.status()).isZero();
        assertThat(wav.events()).isNotEmpty();
        assertThat(mp3.events()).hasSameSizeAs(wav.events());
        for (int i = 0; i < wav.events().size(); i++) {
            JsonNode a = wav.events().get(i);
            JsonNode b = mp3.events().get(i);
            assertThat(b.path("startMs").asLong()).as("start of utterance %d", i).isCloseTo(a.path("startMs").asLong(),
                    org.assertj.core.data.Offset.offset(ONE_FRAME_MS));
            assertThat(b.path("endMs").asLong()).as("end of utterance %d", i).isCloseTo(a.path("endMs").asLong(),
                    org.assertj.core.data.Offset.offset(ONE_FRAME_MS));
        }
        assertThat(mp3.status()).isEqualTo(1);
        assertThat(mp3.stdout()).contains("podcast-mono-16k.mp3");
        assertThat(mp3.stderr().lines().filter(l -> l.startsWith("rejected: ")).toList()).containsExactly(
                "rejected: " + text + ": FFmpeg cannot open it as audio or video (Invalid data found when processing input)",
                "rejected: " + MEDIA.resolve("video-no-audio.mp4") + ": is a video without sound: it has no audio track");
        assertThat(mp3.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
