package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.emostream.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code analyze} and {@code ingest} on audio behind URLs, as a user runs them: an HLS episode, a live MP3 station
 * and a podcast feed, served by a real HTTP server in the test.
 */
@Timeout(300)
class UrlAndFeedCommandTest {
    private static final Path MEDIA = Path.of(System.getProperty("emostream.media.fixtures"));
    private static final Path WAV = MEDIA.resolveSibling("audio").resolve("podcast-mono-16k.wav");
    /** Two AAC frames at 16 kHz: MPEG-TS does not say how many priming samples to drop, so the start may move by one. */
    private static final long TWO_AAC_FRAMES_MS = 128;
    private static EmbeddedKafka kafka;
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        kafka = EmbeddedKafka.builder().start();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/hls/", exchange -> file(exchange, MEDIA.resolve("hls-ts").resolve(exchange.getRequestURI().getPath().substring(5))));
        server.createContext("/episodes/", exchange -> file(exchange, MEDIA.resolve(exchange.getRequestURI().getPath().substring(10))));
        server.createContext("/feed.rss", exchange -> send(exchange, "application/rss+xml", feed().getBytes(StandardCharsets.UTF_8)));
        server.createContext("/live.mp3", UrlAndFeedCommandTest::station);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        kafka.close();
    }

    private record Run(int status, String stdout, String stderr, List<JsonNode> events) {
    }

    private static Run run(Path events, String... args) throws IOException {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        cli.setErr(new PrintWriter(stderr, true));
        int status = cli.execute(args);
        List<JsonNode> read = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : events != null && Files.exists(events) ? Files.readAllLines(events) : List.<String>of()) {
            read.add(json.readTree(line));
        }
        return new Run(status, stdout.toString(), stderr.toString(), read);
    }

    @Test
    void analyzeTakesAnHlsEpisodeAndAFeedAndRefusesALiveStreamWithoutADuration(@TempDir Path dir) throws Exception {
        Path wavEvents = dir.resolve("wav.jsonl");
        Run wav = run(wavEvents, "analyze", "--out", wavEvents.toString(), WAV.toString());
        Path urlEvents = dir.resolve("url.jsonl");
        Run urls = run(urlEvents, "analyze", "--out", urlEvents.toString(), "--url", base + "/hls/podcast.m3u8",
                "--url", base + "/live.mp3", "--feed", base + "/feed.rss");

        assertThat(wav.status()).isZero();
        assertThat(urls.status()).as(urls.stderr()).isEqualTo(EmotionCli.INPUT_FAILED);
        assertThat(urls.stderr()).contains("rejected: " + base + "/live.mp3: is a live stream, which never ends: say how much"
                + " of it to take (--duration SECONDS)");
        assertThat(urls.stderr()).contains("Feed \"Test Talk\" (" + base + "/feed.rss): 2 episodes to ingest, 0 already ingested.");
        assertThat(urls.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(urls.stdout()).contains("podcast.m3u8").contains("First words").contains("Second words");

        // The HLS episode is the WAV's speech: the same utterances, within the AAC frames MPEG-TS leaves in.
        List<JsonNode> hls = urls.events().stream().filter(e -> e.path("callId").asText().matches("podcast-\\d+")).toList();
        assertThat(hls).hasSameSizeAs(wav.events());
        for (int i = 0; i < hls.size(); i++) {
            assertThat(hls.get(i).path("startMs").asLong()).as("start of utterance %d", i)
                    .isCloseTo(wav.events().get(i).path("startMs").asLong(), Offset.offset(TWO_AAC_FRAMES_MS));
        }
        // Each episode is a call named after it, with the show as its series.
        List<String> episodeCalls = urls.events().stream().map(e -> e.path("callId").asText()).filter(id -> !id.matches("podcast-\\d+"))
                .distinct().sorted().toList();
        assertThat(episodeCalls).hasSize(2).allMatch(id -> id.startsWith("first-words-") || id.startsWith("second-words-"));
    }

    @Test
    void ingestFollowsALiveStationForAsLongAsAskedAndRemembersAFeedsEpisodes(@TempDir Path dir) throws Exception {
        Run station = run(null, "ingest", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-url", "--roles", "host",
                "--url", base + "/live.mp3", "--duration", "2");
        assertThat(station.status()).as(station.stderr()).isZero();
        assertThat(station.stdout()).contains(base + "/live.mp3: live stream mp3, 16000 Hz, 1 ch -> call live-")
                .containsPattern("live\\.mp3 -> call live-\\d+: 1 ch \\(host\\), 16000 Hz mp3 stream, 2\\.00 s, 0 discontinuities")
                .contains("Ingested 1 of 1 inputs (2.0 s of audio");

        Path state = dir.resolve("feed-state.json");
        String[] feedArgs = {"ingest", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-feed", "--feed", base + "/feed.rss",
                "--feed-state", state.toString()};
        Run first = run(null, feedArgs);
        Run second = run(null, feedArgs);
        assertThat(first.status()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("2 episodes to ingest, 0 already ingested").contains("Ingested 2 of 2 inputs");
        assertThat(second.status()).isZero();
        assertThat(second.stdout()).contains("0 episodes to ingest, 2 already ingested").contains("Ingested 0 of 0 inputs");
        assertThat(Files.readString(state)).contains("first-words-").contains("second-words-");

        Run follow = run(null, "analyze", "--out", dir.resolve("x.jsonl").toString(), "--feed", base + "/feed.rss", "--follow");
        assertThat(follow.status()).isEqualTo(2);
        assertThat(follow.stderr()).startsWith("analyze: --follow never ends");
        Run neither = run(null, Arrays.asList("ingest", "--follow").toArray(String[]::new));
        assertThat(neither.status()).isEqualTo(2);
    }

    @Test
    void theDemoShowsALiveStationOnItsDashboard() throws Exception {
        StringWriter stdout = new StringWriter();
        java.util.concurrent.atomic.AtomicInteger status = new java.util.concurrent.atomic.AtomicInteger(-1);
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        Thread demo = new Thread(() -> status.set(cli.execute("demo", "--port", "0", "--roles", "host", "--series", "Radio test",
                "--url", base + "/live.mp3")), "demo-under-test");
        demo.start();
        try {
            java.util.regex.Pattern started = java.util.regex.Pattern.compile("dashboard at (http://\\S+)[\\s\\S]*-> call (live-\\d+)");
            java.util.regex.Matcher found = started.matcher(stdout.toString());
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
            boolean streaming = found.find();
            while (!streaming && System.nanoTime() < deadline && demo.isAlive()) {
                Thread.sleep(200);
                found = started.matcher(stdout.toString());
                streaming = found.find();
            }
            assertThat(streaming).as("the demo streams the station; it said: %s", stdout).isTrue();
            String dashboard = found.group(1).endsWith("/") ? found.group(1) : found.group(1) + "/";
            String callId = found.group(2);
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            JsonNode call = null;
            while (System.nanoTime() < deadline && call == null) {
                var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(dashboard + "api/calls/" + callId)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                JsonNode body = response.statusCode() == 200 ? new ObjectMapper().readTree(response.body()) : null;
                call = body != null && body.path("events").size() > 0 ? body : null;
                Thread.sleep(500);
            }
            assertThat(call).as("call %s with events on the dashboard", callId).isNotNull();
            call.path("events").forEach(event -> {
                assertThat(event.path("source").asText()).isEqualTo("url:" + base + "/live.mp3");
                assertThat(event.path("role").asText()).isEqualTo("HOST");
            });
        } finally {
            demo.interrupt();
            demo.join(java.time.Duration.ofSeconds(90).toMillis());
        }
        assertThat(demo.isAlive()).as("the demo stops when told to").isFalse();
        assertThat(status.get()).isZero();
        assertThat(stdout.toString()).containsPattern("demo: " + java.util.regex.Pattern.quote(base) + "/live.mp3 ended: 1 ch \\(host\\), 16000 Hz mp3 stream");
    }

    /** Two episodes of one show: an MP3 and an M4A of the same speech. */
    private static String feed() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0"><channel><title>Test Talk</title><link>%1$s</link>
                <item><title>First words</title><guid>ep-1</guid><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate>
                  <enclosure url="%1$s/episodes/podcast-mono-16k.mp3" type="audio/mpeg" length="18056"/></item>
                <item><title>Second words</title><guid>ep-2</guid><pubDate>Mon, 09 Nov 2026 08:00:00 GMT</pubDate>
                  <enclosure url="%1$s/episodes/podcast-mono-16k.m4a" type="audio/mp4" length="20047"/></item>
                </channel></rss>
                """.formatted(base);
    }

    /** A live station: the MP3 looped without end at its 32 kbit/s, sent a tenth of a second at a time. */
    private static void station(HttpExchange exchange) throws IOException {
        byte[] mp3 = Files.readAllBytes(MEDIA.resolve("podcast-mono-16k.mp3"));
        exchange.getResponseHeaders().set("Content-Type", "audio/mpeg");
        exchange.sendResponseHeaders(200, 0); // chunked, no length: a stream
        long start = System.nanoTime();
        try (OutputStream out = exchange.getResponseBody()) {
            for (long sent = 0; ; sent += 400) {
                byte[] slice = new byte[400];
                for (int i = 0; i < slice.length; i++) {
                    slice[i] = mp3[(int) ((sent + i) % mp3.length)];
                }
                out.write(slice);
                out.flush();
                long wait = start + sent * 1_000_000_000L / 4000 - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the listener left
        }
    }

    private static void file(HttpExchange exchange, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        String name = file.getFileName().toString();
        send(exchange, name.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : name.endsWith(".ts") ? "video/mp2t"
                : name.endsWith(".mp3") ? "audio/mpeg" : "audio/mp4", Files.readAllBytes(file));
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
