package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.testkit.ScriptedSpeechLmServer;
import io.emostream.testkit.TinySerModel;
import io.emostream.testkit.TinyWhisperModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** bin/emotion analyze as a user runs it: embedded broker, the real job on a local Flink cluster, JSON lines out. */
@Timeout(240)
class AnalyzeCommandTest {
    private static final Path FIXTURES = Path.of(System.getProperty("emostream.fixtures"));

    @Test
    void analysesACallPerSpeakerAndNamesTheFileItCannotRead(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out/events.jsonl");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        cli.setErr(new PrintWriter(stderr, true));

        Path alertsOut = dir.resolve("out/alerts.jsonl");
        int status = cli.execute("analyze", "--roles", "agent,customer", "--out", out.toString(), "--alerts-out",
                alertsOut.toString(), FIXTURES.resolve("call-stereo-8k-mulaw.wav").toString(),
                FIXTURES.resolve("bad-garbage.wav").toString());

        assertThat(status).isEqualTo(1);
        assertThat(stderr.toString()).contains("rejected: " + FIXTURES.resolve("bad-garbage.wav") + ": is a text file")
                .doesNotContain("\tat ");
        List<JsonNode> events = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out)) {
            events.add(json.readTree(line));
        }
        assertThat(events).isNotEmpty().allSatisfy(event -> {
            assertThat(event.path("callId").asText()).isEqualTo("call-stereo-8k-mulaw");
            assertThat(event.path("utteranceId").asText()).startsWith("call-stereo-8k-mulaw/" + event.path("channel").asInt() + "/");
            assertThat(event.path("label").asText()).isNotBlank();
            assertThat(event.path("rationale").asText()).contains(said(event));
            assertThat(event.path("cues").size()).isGreaterThan(3);
        });
        assertThat(events).extracting(e -> e.path("role").asText()).contains("AGENT", "CUSTOMER");
        assertThat(stdout.toString()).contains("call-stereo-8k-mulaw.wav").contains(events.size() + " events written to " + out);
        assertThat(alertsOut).exists();
        assertThat(stderr.toString()).as("not a terminal: progress in whole lines, no carriage returns")
                .contains("analysing [").contains("analysing: " + events.size() + " utterances found in ").doesNotContain("\r");
    }

    @Test
    void writesTheAlertsARecordingRaises(@TempDir Path dir) throws Exception {
        // Speech, 22 s of silence, speech: the default rules raise exactly one long_silence.
        byte[] speech = pcm(FIXTURES.resolve("podcast-mono-16k.wav"));
        byte[] call = new byte[speech.length * 2 + 22 * 32_000];
        System.arraycopy(speech, 0, call, 0, speech.length);
        System.arraycopy(speech, 0, call, call.length - speech.length, speech.length);
        Path wav = Files.write(dir.resolve("hold-music-off.wav"), wav16k(call));
        Path alertsOut = dir.resolve("alerts.jsonl");
        StringWriter stdout = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));

        int status = cli.execute("analyze", "--out", dir.resolve("events.jsonl").toString(), "--alerts-out",
                alertsOut.toString(), wav.toString());

        assertThat(status).isZero();
        List<String> lines = Files.readAllLines(alertsOut);
        assertThat(lines).hasSize(1);
        JsonNode alert = new ObjectMapper().readTree(lines.get(0));
        assertThat(alert.path("rule").asText()).isEqualTo("long_silence");
        assertThat(alert.path("callId").asText()).isEqualTo("hold-music-off");
        assertThat(alert.path("message").asText()).startsWith("Nobody spoke for 2");
        assertThat(alert.path("evidence")).hasSize(2);
        assertThat(stdout.toString()).contains("1 alert written to " + alertsOut);

        // The same recording with the silence threshold raised above 22 s raises nothing.
        Path rules = Files.writeString(dir.resolve("rules.properties"), "# longer hold times are normal here\nsilenceMs=30000\n");
        int relaxed = EmotionCli.commandLine().execute("analyze", "--out", dir.resolve("events2.jsonl").toString(),
                "--alerts-out", alertsOut.toString(), "--alert-rules", rules.toString(), wav.toString());
        assertThat(relaxed).isZero();
        assertThat(Files.readAllLines(alertsOut)).isEmpty();
    }

    @Test
    void anAlertRuleThatDoesNotExistIsBadUsage(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.properties"), "silence=30000\n");
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setErr(new PrintWriter(stderr, true));

        int status = cli.execute("analyze", "--out", dir.resolve("e.jsonl").toString(), "--alert-rules", rules.toString(),
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(status).isEqualTo(2);
        assertThat(stderr.toString()).startsWith("analyze: --alert-rules " + rules + ": unknown alert rule setting 'silence';");
    }

    @Test
    void anUnknownDomainIsBadUsageInOneSentence(@TempDir Path dir) {
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setErr(new PrintWriter(stderr, true));

        int status = cli.execute("analyze", "--domain", "call-center", "--out", dir.resolve("e.jsonl").toString(),
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(status).isEqualTo(2);
        assertThat(stderr.toString()).startsWith("analyze: --domain is contact-centre, podcast or msp-podcast, not 'call-center'.");
    }

    /** How a rationale gives the event's label: "→ angry.", or "→ uncertain (angry or happy)." when it is unsure. */
    private static String said(JsonNode event) {
        String label = event.path("label").asText();
        return event.path("uncertain").asBoolean() ? "→ uncertain (" + label : "→ " + label + ".";
    }

    /** The 16-bit samples of a PCM WAV file with a plain 44-byte header. */
    private static byte[] pcm(Path wav) throws Exception {
        byte[] bytes = Files.readAllBytes(wav);
        return Arrays.copyOfRange(bytes, 44, bytes.length);
    }

    private static byte[] wav16k(byte[] pcm) {
        ByteBuffer header = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + pcm.length).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        header.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(16_000).putInt(32_000).putShort((short) 2).putShort((short) 16);
        header.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(pcm.length).put(pcm);
        return header.array();
    }

    @Test
    void labelsWithAnOnnxModelAndItsCard(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("tiny-ser"));
        TinySerModel.write(model.resolve("model.onnx"), new float[] {1f, -1f, 4f}, new float[] {0f, 0f, 0f}, "attention_mask", true);
        Files.writeString(model.resolve("model-card.json"), "{\"name\": \"tiny\", \"file\": \"model.onnx\","
                + " \"input\": {\"name\": \"waveform\", \"mask\": \"attention_mask\"}, \"output\": {\"name\": \"logits\"},"
                + " \"dimensions\": {\"name\": \"dims\"}, \"labels\": [\"calm\", \"tense\", \"loud\"]}");
        Path out = dir.resolve("events.jsonl");
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));

        int status = cli.execute("analyze", "--model", "onnx:" + model, "--out", out.toString(),
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(status).isZero();
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).isNotEmpty().allSatisfy(line -> {
            JsonNode event = json.readTree(line);
            assertThat(event.path("modelId").asText()).matches("onnx:tiny@sha256:[0-9a-f]{12}");
            assertThat(event.path("label").asText()).isIn("calm", "tense", "loud");
            assertThat(event.path("scores").size()).isEqualTo(3);
            assertThat(event.path("rationale").asText()).contains(said(event));
        });

        StringWriter stderr = new StringWriter();
        CommandLine bad = EmotionCli.commandLine();
        bad.setErr(new PrintWriter(stderr, true));
        assertThat(bad.execute("analyze", "--model", "onnx:" + dir.resolve("missing"), "--out", out.toString(),
                FIXTURES.resolve("podcast-mono-16k.wav").toString())).isEqualTo(2);
        assertThat(stderr.toString()).startsWith("analyze: --model: The model directory " + dir.resolve("missing") + " does not exist");
    }

    @Test
    void asksASpeechLmServerAndMarksWhatItAnswered(@TempDir Path dir) throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> ScriptedSpeechLmServer.answer("so so", "sad", "Quiet and slow."))) {
            Path out = dir.resolve("events.jsonl");
            CommandLine cli = EmotionCli.commandLine();
            StringWriter stdout = new StringWriter();
            cli.setOut(new PrintWriter(stdout, true));

            // One at a time, one every two seconds: files go faster than that, so utterances wait their turn rather than fall back.
            int status = cli.execute("analyze", "--model", "speechlm:" + server.baseUrl() + "?rps=0.5&concurrency=1", "--out", out.toString(),
                    FIXTURES.resolve("podcast-mono-16k.wav").toString());

            assertThat(status).isZero();
            ObjectMapper json = new ObjectMapper();
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).hasSameSizeAs(server.requests()).isNotEmpty().allSatisfy(line -> {
                JsonNode event = json.readTree(line);
                assertThat(event.path("label").asText()).isEqualTo("sad");
                assertThat(event.path("rationale").asText()).isEqualTo("Quiet and slow.");
                assertThat(event.path("transcript").asText()).isEqualTo("so so");
                assertThat(event.path("modelId").asText()).startsWith("speechlm:" + ScriptedSpeechLmServer.SERVED_MODEL + "@127.0.0.1:");
                assertThat(event.path("fieldSources").path("scores").asText()).isEqualTo("cue-estimator/1");
                assertThat(event.path("speechLm").path("status").asText()).isEqualTo("ANSWERED");
                assertThat(event.path("speechLm").path("reason").asText()).isEqualTo("all");
            });
            assertThat(stdout.toString()).contains("SpeechLM: " + lines.size() + " ANSWERED.");
        }

        StringWriter stderr = new StringWriter();
        CommandLine bad = EmotionCli.commandLine();
        bad.setErr(new PrintWriter(stderr, true));
        assertThat(bad.execute("analyze", "--model", "cue+speechlm:http://gpu-1:8000/v1?rsp=2", "--out",
                dir.resolve("e.jsonl").toString(), FIXTURES.resolve("podcast-mono-16k.wav").toString())).isEqualTo(2);
        assertThat(stderr.toString()).startsWith("analyze: --model: Unknown SpeechLM option 'rsp' in speechlm:http://gpu-1:8000/v1?rsp=2;");
    }

    @Test
    void transcribesWithAWhisperModelFile(@TempDir Path dir) throws Exception {
        Path model = TinyWhisperModel.write(dir.resolve("ggml-test.bin"), List.of("Please", " cancel", " it"));
        Path out = dir.resolve("events.jsonl");
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));

        int status = cli.execute("analyze", "--asr", "whisper:" + model, "--out", out.toString(),
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(status).isEqualTo(0);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            events.add(json.readTree(line));
        }
        assertThat(events).isNotEmpty().allSatisfy(event -> {
            assertThat(event.path("transcriptStatus").asText()).isEqualTo("PRESENT");
            assertThat(event.path("transcript").asText()).isEqualTo("Please cancel it");
        });
    }

    @Test
    void aMissingWhisperModelOrAnUnknownRecogniserIsBadUsage(@TempDir Path dir) {
        Path missing = dir.resolve("ggml-base.en.bin");

        assertThat(badUsage(dir, "whisper:" + missing)).startsWith("analyze: --asr: The whisper model file " + missing
                + " does not exist; download a ggml model (for example ggml-base.en.bin from the whisper.cpp project's model"
                + " page) and give its path as whisper:PATH.");
        assertThat(badUsage(dir, "vosk")).startsWith("analyze: --asr: unknown speech recogniser 'vosk'; use none, sphinx,"
                + " or whisper:PATH to a whisper.cpp ggml model file.");
    }

    private static String badUsage(Path dir, String recogniser) {
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setErr(new PrintWriter(stderr, true));

        int status = cli.execute("analyze", "--asr", recogniser, "--out", dir.resolve("e.jsonl").toString(),
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(status).isEqualTo(2);
        return stderr.toString();
    }
}
