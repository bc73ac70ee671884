package io.emostream.ingest.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import io.emostream.ingest.ChunkTopic;
import io.emostream.ingest.bench.IcyStation;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.net.HttpGet;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.SpeakerRole;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live HTTP streams, HLS and recordings behind URLs, served by real servers in the test and ingested into a real
 * broker. The stream is the podcast fixture (4.36 s of speech, mono 16 kHz) as MP3 at 32 kbit/s, and as 1-second
 * AAC segments in MPEG-TS and fragmented MP4 (fixtures/media/make-media-fixtures.sh).
 */
@Timeout(180)
class UrlIngestTest {
    private static final Path MEDIA = Path.of(System.getProperty("emostream.media.fixtures"));
    private static final int RATE = 16_000;
    /** The podcast's length; AAC and MP3 pad or trim a frame at either end (1024 and 576 samples at 16 kHz). */
    private static final double PODCAST_SECONDS = 4.36;
    private static final List<Double> TS_DURATIONS = List.of(1.024, 1.024, 0.960, 1.024);
    private static final UrlIngest.Settings QUICK = new UrlIngest.Settings(
            new HttpGet.Settings(Duration.ofSeconds(2), Duration.ofSeconds(2)), Duration.ofMillis(200), Duration.ofSeconds(1),
            Duration.ofSeconds(20), Double.POSITIVE_INFINITY, false, true);
    private static EmbeddedKafka kafka;
    private static int topics;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** An ingest of one URL on a thread of its own, with what it said along the way. */
    private static final class Running {
        final String topic = "url-" + ++topics;
        final List<String> notices = new CopyOnWriteArrayList<>();
        final ChunkPublisher publisher = ChunkPublisher.open(new KafkaSettings(kafka.bootstrapServers(), topic, 1, new Properties()));
        final UrlIngest ingest;
        final CompletableFuture<IngestOutcome> outcome;

        Running(String url, String callId, UrlIngest.Settings settings) {
            ingest = new UrlIngest(publisher, new FileIngest.Options(100, false, List.of(SpeakerRole.HOST), null,
                    new CallIdentity(List.of(), "Test show"), 0), settings, notices::add);
            outcome = CompletableFuture.supplyAsync(() -> ingest.ingest(URI.create(url), callId));
        }

        /** Waits until a notice containing {@code text} has been given. */
        void awaitNotice(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (notices.stream().noneMatch(n -> n.contains(text))) {
                assertThat(System.nanoTime()).as("a notice containing \"%s\" among %s", text, notices).isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        IngestOutcome finish() throws Exception {
            IngestOutcome result = outcome.get(90, TimeUnit.SECONDS);
            publisher.flush();
            publisher.close();
            return result;
        }

        List<AudioChunk> chunks(String callId) {
            return ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 1, callId).stream(callId, 0);
        }
    }

    @Test
    void icecastStreamIsPacedByArrivalCarriesItsTitlesAndReconnectsAcrossAKilledServer() throws Exception {
        try (IcyStation station = IcyStation.playing(MEDIA.resolve("podcast-mono-16k.mp3"), 1000)) {
            long connectedMs = System.currentTimeMillis();
            Running run = new Running(station.url(), "radio-1", QUICK);
            run.awaitNotice("now playing: Segment 3");
            station.kill();
            long killed = System.nanoTime();
            Thread.sleep(2500);
            station.restart();
            run.awaitNotice("recorded as a discontinuity");
            double outage = (System.nanoTime() - killed) / 1e9;
            run.awaitNotice("now playing: Segment 2"); // the titles count again on the new connection
            run.ingest.requestStop();
            IngestOutcome outcome = run.finish();

            assertThat(outcome).isInstanceOf(IngestOutcome.Ingested.class);
            IngestOutcome.Ingested ingested = (IngestOutcome.Ingested) outcome;
            assertThat(ingested.description()).contains("16000 Hz mp3 stream").contains("1 discontinuity");
            assertThat(ingested.warnings()).anyMatch(w -> w.startsWith("stopped on request"));
            assertThat(station.connections()).isEqualTo(2);

            List<AudioChunk> chunks = run.chunks("radio-1");
            assertThat(chunks).extracting(AudioChunk::getSequence).containsExactlyElementsOf(sequence(chunks.size()));
            assertThat(chunks.get(chunks.size() - 1).getEndOfStream()).isTrue();
            assertThat(chunks).allMatch(c -> c.getSource().equals("url:" + station.url()));
            assertThat(chunks).allMatch(c -> "Test show".equals(c.getSeries()));
            assertThat(chunks.get(0).getSourceMetadata()).containsEntry("icy.name", "Test Radio").containsEntry("icy.genre", "Talk");

            // One jump in the timeline, as long as the server was away (at least the 2.5 s it was down), no other.
            List<Long> jumps = new ArrayList<>();
            for (int i = 1; i < chunks.size(); i++) {
                long end = chunks.get(i - 1).getFirstSample() + chunks.get(i - 1).getPayload().remaining() / 2;
                if (chunks.get(i).getFirstSample() != end) {
                    jumps.add(chunks.get(i).getFirstSample() - end);
                }
            }
            assertThat(jumps).hasSize(1);
            assertThat(jumps.get(0) / (double) RATE).isBetween(2.5, outage + 0.5);
            AudioChunk afterGap = chunks.stream().filter(c -> c.getSourceMetadata().containsKey("stream.discontinuities"))
                    .findFirst().orElseThrow();
            assertThat(afterGap.getSourceMetadata()).containsEntry("stream.discontinuities", "1");

            // Titles ride on the chunks decoded after them, with where they changed.
            assertThat(chunks).anyMatch(c -> "Segment 3".equals(c.getSourceMetadata().get("icy.title")));
            assertThat(chunks.get(chunks.size() - 1).getSourceMetadata()).containsKey("icy.titleAtSeconds");

            // Paced by arrival: the station sends in real time from the moment one connects, so no chunk may leave
            // before its audio can have arrived (a chunk holds 0.1 s; the station sends 0.1 s at a time).
            for (AudioChunk chunk : chunks) {
                double audioSeconds = chunk.getFirstSample() / (double) RATE;
                assertThat((chunk.getIngestTimeMs() - connectedMs) / 1000.0).as("sent at, for audio at %.2f s", audioSeconds)
                        .isGreaterThan(audioSeconds);
            }
        }
    }

    @Test
    void shoutcastAnswerIsUnderstoodAndALimitEndsTheCallWhereItSays() throws Exception {
        try (IcyStation station = new IcyStation(MEDIA.resolve("podcast-mono-16k.mp3"), 32_000, 0, IcyStation.Style.SHOUTCAST)) {
            Running run = new Running(station.url(), "shout-1", QUICK.withMaxSeconds(2.0));
            IngestOutcome outcome = run.finish();

            assertThat(outcome).isInstanceOf(IngestOutcome.Ingested.class);
            assertThat(((IngestOutcome.Ingested) outcome).seconds()).isEqualTo(2.0);
            assertThat(((IngestOutcome.Ingested) outcome).warnings()).isEmpty();
            List<AudioChunk> chunks = run.chunks("shout-1");
            assertThat(chunks.stream().mapToInt(c -> c.getPayload().remaining() / 2).sum()).isEqualTo(2 * RATE);
            assertThat(rms(chunks)).as("speech, not silence").isGreaterThan(300);
        }
    }

    @Test
    void hlsVodInMpegTsAndFragmentedMp4DecodesTheWholeEpisode() throws Exception {
        try (HlsServer server = new HlsServer(MEDIA, MEDIA.resolve("hls-ts"), TS_DURATIONS)) {
            for (String folder : List.of("hls-ts", "hls-fmp4")) {
                Running run = new Running(server.url("/vod/" + folder + "/podcast.m3u8"), "vod-" + folder, QUICK);
                IngestOutcome outcome = run.finish();

                assertThat(outcome).as(folder).isInstanceOf(IngestOutcome.Ingested.class);
                IngestOutcome.Ingested ingested = (IngestOutcome.Ingested) outcome;
                assertThat(ingested.description()).as(folder).contains("aac stream").contains("0 discontinuities");
                assertThat(ingested.seconds()).as(folder).isCloseTo(PODCAST_SECONDS, within(0.13));
                assertThat(ingested.warnings()).as(folder).isEmpty();
                List<AudioChunk> chunks = run.chunks("vod-" + folder);
                assertThat(chunks.get(chunks.size() - 1).getEndOfStream()).isTrue();
                assertThat(rms(chunks)).as(folder).isGreaterThan(300);
            }
        }
    }

    @Test
    void hlsLiveFollowsTheRollingPlaylistAndRecordsSegmentsItMissed() throws Exception {
        try (HlsServer server = new HlsServer(MEDIA, MEDIA.resolve("hls-ts"), TS_DURATIONS)) {
            Running run = new Running(server.url("/live.m3u8"), "live-hls", QUICK);
            Thread.sleep(4500);
            int fetchedBeforeSkip = server.segmentRequests();
            server.skipAhead(HlsServer.WINDOW + 3); // the playlist moves on past what it showed: 3 segments never seen
            run.awaitNotice("rolled off the playlist");
            Thread.sleep(1500);
            run.ingest.requestStop();
            IngestOutcome outcome = run.finish();

            assertThat(outcome).isInstanceOf(IngestOutcome.Ingested.class);
            IngestOutcome.Ingested ingested = (IngestOutcome.Ingested) outcome;
            // At least the 3 segments never listed; one more when the playlist moved on while one was being fetched.
            java.util.regex.Matcher lost = java.util.regex.Pattern.compile("1 discontinuity \\(([0-9.]+) s lost\\)")
                    .matcher(ingested.description());
            assertThat(lost.find()).as(ingested.description()).isTrue();
            double lostSeconds = Double.parseDouble(lost.group(1));
            assertThat(lostSeconds).isIn(3.0, 4.0);
            // Joined three target durations from the end, then one more segment per second: not the whole window at once.
            assertThat(fetchedBeforeSkip).isBetween(6, 9);

            List<AudioChunk> chunks = run.chunks("live-hls");
            List<Long> jumps = new ArrayList<>();
            for (int i = 1; i < chunks.size(); i++) {
                long end = chunks.get(i - 1).getFirstSample() + chunks.get(i - 1).getPayload().remaining() / 2;
                if (chunks.get(i).getFirstSample() != end) {
                    jumps.add(chunks.get(i).getFirstSample() - end);
                }
            }
            // The loop's EXT-X-DISCONTINUITY tags start new decoders without a gap; the skipped segments are the gap.
            assertThat(jumps).containsExactly(Math.round(lostSeconds * RATE));
            assertThat(rms(chunks)).isGreaterThan(300);
        }
    }

    @Test
    void aRecordingBehindAUrlOrAStationPlaylistIsFetchedAndIngestedLikeAFile() throws Exception {
        byte[] mp3 = Files.readAllBytes(MEDIA.resolve("podcast-mono-16k.mp3"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/episode.mp3", exchange -> send(exchange, 200, "audio/mpeg", mp3));
        server.createContext("/station.pls", exchange -> send(exchange, 200, "audio/x-scpls",
                ("[playlist]\nNumberOfEntries=1\nFile1=" + base + "/episode.mp3\nTitle1=Test\n").getBytes(StandardCharsets.UTF_8)));
        server.start();
        try {
            for (String path : List.of("/episode.mp3", "/station.pls")) {
                Running run = new Running(base + path, "rec" + path.replace('/', '-').replace('.', '-'), QUICK);
                IngestOutcome outcome = run.finish();
                assertThat(outcome).as(path).isInstanceOf(IngestOutcome.Ingested.class);
                IngestOutcome.Ingested ingested = (IngestOutcome.Ingested) outcome;
                assertThat(ingested.description()).as(path).contains("mp3, 0 frames skipped");
                assertThat(ingested.seconds()).as(path).isCloseTo(PODCAST_SECONDS, within(0.08));
                List<AudioChunk> chunks = run.chunks(ingested.callId());
                assertThat(chunks.get(0).getSource()).isEqualTo("url:" + base + "/episode.mp3");
                assertThat(chunks.get(0).getSourceMetadata()).containsEntry("stream.url", base + "/episode.mp3");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void urlsThatServeNoAudioGetOneSentenceEach() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/page", exchange -> send(exchange, 200, "text/html; charset=utf-8",
                "<!DOCTYPE html><html><body>Listen live!</body></html>".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/text.mp3", exchange -> send(exchange, 200, "application/octet-stream",
                "this is not audio at all, only words ".repeat(200).getBytes(StandardCharsets.UTF_8)));
        server.start();
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0)) {
            closedPort = unused.getLocalPort();
        }
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // Answers with headers, then sends nothing: a stream that stalls before its first byte.
            Thread stall = new Thread(() -> {
                try (Socket socket = silent.accept()) {
                    socket.getInputStream().read(new byte[1024]);
                    socket.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    Thread.sleep(5000);
                } catch (IOException | InterruptedException e) {
                    // done
                }
            });
            stall.setDaemon(true);
            stall.start();
            assertRejected(base + "/missing.mp3", "answered 404");
            assertRejected(base + "/page", "is not an audio stream: it serves text/html (a web page");
            assertRejected(base + "/text.mp3", "FFmpeg cannot open it as audio or video");
            assertRejected("http://127.0.0.1:" + closedPort + "/live", "refused the connection");
            assertRejected("ftp://example.org/live.mp3", "is not an http:// or https:// URL");
            assertRejected("http://127.0.0.1:" + silent.getLocalPort() + "/live", "stalled: nothing arrived for 2 s");
        } finally {
            server.stop(0);
        }
    }

    private static void assertRejected(String url, String reason) throws Exception {
        Running run = new Running(url, "bad-" + Math.abs(url.hashCode()), QUICK);
        IngestOutcome outcome = run.finish();
        assertThat(outcome).as(url).isInstanceOf(IngestOutcome.Rejected.class);
        assertThat(((IngestOutcome.Rejected) outcome).reason()).as(url).contains(reason).doesNotContain("\n").doesNotContain("Exception");
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static List<Long> sequence(int n) {
        List<Long> numbers = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            numbers.add(i);
        }
        return numbers;
    }

    /** Root mean square of the 16-bit samples: the podcast's speech is far above a decoder's silence. */
    private static double rms(List<AudioChunk> chunks) {
        double sum = 0;
        long count = 0;
        for (AudioChunk chunk : chunks) {
            java.nio.ByteBuffer payload = chunk.getPayload().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (payload.remaining() >= 2) {
                double s = payload.getShort();
                sum += s * s;
                count++;
            }
        }
        return count == 0 ? 0 : Math.sqrt(sum / count);
    }
}
