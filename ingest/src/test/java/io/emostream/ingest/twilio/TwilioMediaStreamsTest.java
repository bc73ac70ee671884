package io.emostream.ingest.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.emostream.ingest.ChunkTopic;
import io.emostream.ingest.WavFiles;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveIngestServer;
import io.emostream.ingest.live.LiveLimits;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.SpeakerRole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Twilio's side of a stream played by a real WebSocket client against the running ingest server: the documented
 * message sequence (connected, start, 20 ms media messages per track with their own chunk and timestamp, stop), the
 * audio from a stereo μ-law fixture, channel 0 as the inbound track and channel 1 as the outbound one. What arrives is
 * read back from a real broker.
 */
@Timeout(120)
class TwilioMediaStreamsTest {
    private static final Path CALL = Path.of(System.getProperty("emostream.fixtures"), "call-stereo-8k-mulaw.wav");
    private static final String TOPIC = "twilio";
    private static final String AUTH_TOKEN = "twilio-auth-token-123";
    private static final String PUBLIC_URL = "wss://ingest.example.com/twilio";
    /** Twilio sends 20 ms per media message: 160 μ-law samples. */
    private static final int FRAME = 160;
    private static EmbeddedKafka kafka;
    private static ChunkPublisher publisher;
    private static LiveCalls calls;
    private static LiveIngestServer open;
    private static LiveIngestServer signed;
    private static LiveIngestServer proxied;
    private static byte[] inbound;
    private static byte[] outbound;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.builder().start();
        publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), TOPIC));
        calls = new LiveCalls(publisher, LiveLimits.defaults());
        open = serve(TwilioSettings.defaults());
        signed = serve(TwilioSettings.defaults().withAuthToken(AUTH_TOKEN));
        proxied = serve(TwilioSettings.defaults().withAuthToken(AUTH_TOKEN).withPublicUrl(PUBLIC_URL));
        inbound = WavFiles.channelBytes(CALL, 0);
        outbound = WavFiles.channelBytes(CALL, 1);
    }

    private static LiveIngestServer serve(TwilioSettings settings) {
        return LiveIngestServer.start(LiveIngestServer.Settings.defaults(0), calls,
                List.of(TwilioMediaStreams.route(settings, calls)));
    }

    @AfterAll
    static void stop() {
        for (LiveIngestServer server : new LiveIngestServer[] {open, signed, proxied}) {
            if (server != null) {
                server.close();
            }
        }
        publisher.close();
        kafka.close();
    }

    /** Twilio's end of one stream: sends its messages and records how the server closed the connection. */
    static final class TwilioStream implements WebSocket.Listener {
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final String streamSid;
        private WebSocket ws;
        private int sequence;

        TwilioStream(String streamSid) {
            this.streamSid = streamSid;
        }

        static TwilioStream connect(LiveIngestServer server, String streamSid, String signature) {
            TwilioStream stream = new TwilioStream(streamSid);
            WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
            if (signature != null) {
                builder.header("X-Twilio-Signature", signature);
            }
            stream.ws = builder.buildAsync(URI.create(url(server)), stream).join();
            return stream;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        String closeStatus() throws Exception {
            return closed.get(20, TimeUnit.SECONDS);
        }

        void send(String text) {
            ws.sendText(text, true).join();
        }

        TwilioStream connected() {
            send("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
            return this;
        }

        TwilioStream start(String callSid, List<String> tracks, Map<String, String> parameters) {
            StringBuilder custom = new StringBuilder();
            parameters.forEach((name, value) -> custom.append(custom.length() == 0 ? "" : ",")
                    .append('"').append(name).append("\":\"").append(value).append('"'));
            send("{\"event\":\"start\",\"sequenceNumber\":\"" + (++sequence) + "\",\"start\":{\"accountSid\":\"AC0123\","
                    + "\"streamSid\":\"" + streamSid + "\",\"callSid\":\"" + callSid + "\",\"tracks\":[\""
                    + String.join("\",\"", tracks) + "\"],\"customParameters\":{" + custom + "},"
                    + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}},"
                    + "\"streamSid\":\"" + streamSid + "\"}");
            return this;
        }

        /** Frame {@code frame} (20 ms from frame × 20 ms) of a track's audio, as media chunk {@code frame + 1}. */
        TwilioStream media(String track, byte[] audio, int frame) {
            int from = frame * FRAME;
            String payload = Base64.getEncoder().encodeToString(
                    Arrays.copyOfRange(audio, from, Math.min(audio.length, from + FRAME)));
            send("{\"event\":\"media\",\"sequenceNumber\":\"" + (++sequence) + "\",\"media\":{\"track\":\"" + track
                    + "\",\"chunk\":\"" + (frame + 1) + "\",\"timestamp\":\"" + (frame * 20) + "\",\"payload\":\""
                    + payload + "\"},\"streamSid\":\"" + streamSid + "\"}");
            return this;
        }

        void stop(String callSid) {
            send("{\"event\":\"stop\",\"sequenceNumber\":\"" + (++sequence) + "\",\"stop\":{\"accountSid\":\"AC0123\","
                    + "\"callSid\":\"" + callSid + "\"},\"streamSid\":\"" + streamSid + "\"}");
        }
    }

    private static String url(LiveIngestServer server) {
        return "ws://127.0.0.1:" + server.port() + TwilioMediaStreams.PATH;
    }

    private static int frames(byte[] audio) {
        return (audio.length + FRAME - 1) / FRAME;
    }

    @Test
    void bothTracksArriveBitExactAsTwoChannelsOfOneCall() throws Exception {
        TwilioStream twilio = TwilioStream.connect(open, "MZ-both", null).connected()
                .start("CA-both", List.of("inbound", "outbound"),
                        Map.of("agent", "sam", "series", "billing", "from", "+15551230001", "queue", "gold"));
        for (int frame = 0; frame < frames(inbound); frame++) {
            twilio.media("inbound", inbound, frame).media("outbound", outbound, frame);
            if (frame == 100) {
                // Keys, marks and events this version does not know leave the stream going.
                twilio.send("{\"event\":\"dtmf\",\"streamSid\":\"MZ-both\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"5\"}}");
                twilio.send("{\"event\":\"mark\",\"streamSid\":\"MZ-both\",\"mark\":{\"name\":\"greeting\"}}");
                twilio.send("{\"event\":\"someday\",\"streamSid\":\"MZ-both\"}");
            }
        }
        twilio.stop("CA-both");

        assertThat(twilio.closeStatus()).isEqualTo("1000 stream stopped");
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, "CA-both");
        assertThat(content.audio("CA-both", 0)).isEqualTo(inbound);
        assertThat(content.audio("CA-both", 1)).isEqualTo(outbound);
        List<AudioChunk> caller = content.stream("CA-both", 0);
        List<AudioChunk> agent = content.stream("CA-both", 1);
        assertThat(caller).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.CUSTOMER);
        assertThat(agent).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.AGENT);
        assertThat(caller).extracting(AudioChunk::getSpeaker).containsOnly((String) null);
        assertThat(agent).extracting(AudioChunk::getSpeaker).containsOnly("sam");
        for (List<AudioChunk> channel : List.of(caller, agent)) {
            assertThat(channel).extracting(AudioChunk::getSeries).containsOnly("billing");
            assertThat(channel).extracting(AudioChunk::getChannels).containsOnly(2);
            assertThat(channel).last().matches(AudioChunk::getEndOfStream);
        }
        assertThat(caller.get(0).getSource()).startsWith("twilio:127.0.0.1:");
        assertThat(caller.get(0).getSourceMetadata()).containsOnly(entry("twilio.callSid", "CA-both"),
                entry("twilio.streamSid", "MZ-both"), entry("twilio.accountSid", "AC0123"), entry("ani", "+15551230001"),
                entry("twilio.param.queue", "gold"));
    }

    @Test
    void tracksSentUnevenlyStayAlignedByTheirTimestamps() throws Exception {
        int frames = 100;
        int lag = 7;
        TwilioStream twilio = TwilioStream.connect(open, "MZ-uneven", null).connected()
                .start("CA-uneven", List.of("inbound", "outbound"), Map.of());
        // The outbound track trails the inbound one by 140 ms and has nothing from 600 to 900 ms.
        for (int frame = 0; frame < frames + lag; frame++) {
            if (frame < frames) {
                twilio.media("inbound", inbound, frame);
            }
            int late = frame - lag;
            if (late >= 0 && late < frames && (late < 30 || late >= 45)) {
                twilio.media("outbound", outbound, late);
            }
        }
        twilio.stop("CA-uneven");

        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, "CA-uneven");
        assertThat(content.audio("CA-uneven", 0)).isEqualTo(Arrays.copyOf(inbound, frames * FRAME));
        List<AudioChunk> agent = content.stream("CA-uneven", 1);
        byte[] placed = new byte[frames * FRAME];
        boolean[] covered = new boolean[frames * FRAME];
        for (AudioChunk chunk : agent) {
            byte[] payload = new byte[chunk.getPayload().remaining()];
            chunk.getPayload().duplicate().get(payload);
            System.arraycopy(payload, 0, placed, (int) chunk.getFirstSample(), payload.length);
            Arrays.fill(covered, (int) chunk.getFirstSample(), (int) chunk.getFirstSample() + payload.length, true);
        }
        int gapStart = 30 * FRAME;
        int gapEnd = 45 * FRAME;
        assertThat(agent).extracting(AudioChunk::getFirstSample).as("the audio after the gap starts at its timestamp")
                .contains((long) gapEnd);
        assertThat(Arrays.copyOfRange(placed, 0, gapStart)).isEqualTo(Arrays.copyOfRange(outbound, 0, gapStart));
        assertThat(Arrays.copyOfRange(placed, gapEnd, frames * FRAME)).isEqualTo(Arrays.copyOfRange(outbound, gapEnd, frames * FRAME));
        for (int sample = 0; sample < covered.length; sample++) {
            assertThat(covered[sample]).as("sample %d is covered", sample).isEqualTo(sample < gapStart || sample >= gapEnd);
        }
        assertThat(agent).last().matches(AudioChunk::getEndOfStream);
    }

    @Test
    void aStreamSignedWithTheAuthTokenIsAccepted() throws Exception {
        String signature = TwilioSignature.of(AUTH_TOKEN, url(signed));
        TwilioStream twilio = TwilioStream.connect(signed, "MZ-signed", signature).connected()
                .start("CA-signed", List.of("inbound"), Map.of());
        twilio.media("inbound", inbound, 0).stop("CA-signed");

        assertThat(twilio.closeStatus()).isEqualTo("1000 stream stopped");
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 1, "CA-signed");
        assertThat(content.audio("CA-signed", 0)).isEqualTo(Arrays.copyOf(inbound, FRAME));
    }

    @Test
    void behindAProxyTheSignatureIsCheckedOverThePublicUrl() throws Exception {
        assertRefusedWith403(proxied, TwilioSignature.of(AUTH_TOKEN, url(proxied)));

        TwilioStream twilio = TwilioStream.connect(proxied, "MZ-proxied", TwilioSignature.of(AUTH_TOKEN, PUBLIC_URL))
                .connected().start("CA-proxied", List.of("inbound"), Map.of());
        twilio.stop("CA-proxied");
        assertThat(twilio.closeStatus()).isEqualTo("1000 stream stopped");
    }

    @Test
    void aBadOrMissingSignatureIsRefusedWith403AndNoCallIsCreated() {
        long started = calls.stats().started();

        assertRefusedWith403(signed, TwilioSignature.of("another-token", url(signed)));
        assertRefusedWith403(signed, null);

        assertThat(calls.stats().started()).isEqualTo(started);
    }

    private static void assertRefusedWith403(LiveIngestServer server, String signature) {
        assertThatThrownBy(() -> TwilioStream.connect(server, "MZ-refused", signature))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void anAbruptDisconnectEndsBothChannelsWithWhatWasReceived() {
        TwilioStream twilio = TwilioStream.connect(open, "MZ-drop", null).connected()
                .start("CA-drop", List.of("inbound", "outbound"), Map.of());
        for (int frame = 0; frame < 50; frame++) {
            twilio.media("inbound", inbound, frame).media("outbound", outbound, frame);
        }

        twilio.ws.abort();

        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, "CA-drop");
        assertThat(content.audio("CA-drop", 0)).isEqualTo(Arrays.copyOf(inbound, 50 * FRAME));
        assertThat(content.audio("CA-drop", 1)).isEqualTo(Arrays.copyOf(outbound, 50 * FRAME));
        assertThat(content.stream("CA-drop", 0)).last().matches(AudioChunk::getEndOfStream);
        assertThat(content.stream("CA-drop", 1)).last().matches(AudioChunk::getEndOfStream);
    }

    @Test
    void aStreamThatGoesQuietIsEndedAfterTheIdleTimeout() throws Exception {
        LiveCalls impatient = new LiveCalls(publisher, LiveLimits.defaults().withIdleTimeout(Duration.ofMillis(500)));
        LiveIngestServer server = LiveIngestServer.start(LiveIngestServer.Settings.defaults(0), impatient,
                List.of(TwilioMediaStreams.route(TwilioSettings.defaults(), impatient)));
        try {
            TwilioStream twilio = TwilioStream.connect(server, "MZ-quiet", null).connected()
                    .start("CA-quiet", List.of("inbound", "outbound"), Map.of());
            twilio.media("inbound", inbound, 0).media("outbound", outbound, 0);

            assertThat(twilio.closeStatus()).startsWith("1001");
            ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, "CA-quiet");
            assertThat(content.audio("CA-quiet", 1)).isEqualTo(Arrays.copyOf(outbound, FRAME));
            assertThat(content.stream("CA-quiet", 1)).last().matches(AudioChunk::getEndOfStream);
        } finally {
            server.close();
        }
    }

    @Test
    void aCallKafkaRefusesIsClosedWithTheServerErrorCode() throws Exception {
        Properties tooSmall = new Properties();
        tooSmall.put("max.request.size", "300");
        try (ChunkPublisher refusing = ChunkPublisher.open(new KafkaSettings(kafka.bootstrapServers(), "twilio-refused", 1, tooSmall))) {
            LiveCalls refused = new LiveCalls(refusing, LiveLimits.defaults());
            LiveIngestServer server = LiveIngestServer.start(LiveIngestServer.Settings.defaults(0), refused,
                    List.of(TwilioMediaStreams.route(TwilioSettings.defaults(), refused)));
            try {
                TwilioStream twilio = TwilioStream.connect(server, "MZ-refused", null).connected()
                        .start("CA-refused", List.of("inbound"), Map.of());
                for (int frame = 0; frame < 10; frame++) {
                    twilio.media("inbound", inbound, frame);
                }

                assertThat(twilio.closeStatus()).startsWith("1011 emostream could not deliver this call's audio to Kafka (");
                assertThat(refused.stats().undeliverable()).isEqualTo(1);
            } finally {
                server.close();
            }
        }
    }

    @Test
    void malformedMessagesCloseTheStreamWithASentence() throws Exception {
        TwilioStream notJson = TwilioStream.connect(open, "MZ-bad", null).connected();
        notJson.send("{\"event\":\"start\",");
        assertThat(notJson.closeStatus()).isEqualTo("1008 a message is not valid JSON");

        TwilioStream early = TwilioStream.connect(open, "MZ-bad", null).connected();
        early.media("inbound", inbound, 0);
        assertThat(early.closeStatus()).isEqualTo("1008 media arrived before the start message");

        TwilioStream unknownTrack = TwilioStream.connect(open, "MZ-bad", null).connected()
                .start("CA-bad-track", List.of("inbound"), Map.of());
        unknownTrack.media("outbound", outbound, 0);
        assertThat(unknownTrack.closeStatus())
                .isEqualTo("1008 media arrived for the outbound track, which the start message did not list");

        TwilioStream badPayload = TwilioStream.connect(open, "MZ-bad", null).connected()
                .start("CA-bad-payload", List.of("inbound"), Map.of());
        badPayload.send("{\"event\":\"media\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"0\","
                + "\"payload\":\"%%%\"},\"streamSid\":\"MZ-bad\"}");
        assertThat(badPayload.closeStatus()).isEqualTo("1008 media chunk 1 of track inbound has a payload that is not base64");

        TwilioStream binary = TwilioStream.connect(open, "MZ-bad", null).connected();
        binary.ws.sendBinary(ByteBuffer.wrap(new byte[160]), true).join();
        assertThat(binary.closeStatus()).isEqualTo("1003 Twilio Media Streams send JSON text messages, but a binary message arrived");
    }

    @Test
    void aSecondStartIsRefusedAndTheAudioBeforeItIsKept() throws Exception {
        TwilioStream twilio = TwilioStream.connect(open, "MZ-twice", null).connected()
                .start("CA-twice", List.of("inbound"), Map.of());
        for (int frame = 0; frame < 10; frame++) {
            twilio.media("inbound", inbound, frame);
        }
        twilio.start("CA-twice-again", List.of("inbound"), Map.of());

        assertThat(twilio.closeStatus()).isEqualTo("1008 a second start message arrived; one stream carries one call");
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 1, "CA-twice");
        assertThat(content.audio("CA-twice", 0)).isEqualTo(Arrays.copyOf(inbound, 10 * FRAME));
        assertThat(content.stream("CA-twice", 0)).last().matches(AudioChunk::getEndOfStream);
        assertThat(content.callIds()).doesNotContain("CA-twice-again");
    }

    @Test
    void aCallSidAlreadyStreamingIsRefusedWithTheRegistrysSentence() throws Exception {
        TwilioStream first = TwilioStream.connect(open, "MZ-first", null).connected()
                .start("CA-dup", List.of("inbound"), Map.of());
        first.media("inbound", inbound, 0);

        TwilioStream second = TwilioStream.connect(open, "MZ-second", null).connected()
                .start("CA-dup", List.of("inbound"), Map.of());

        assertThat(second.closeStatus()).isEqualTo("1008 call CA-dup is already streaming on another connection");
        first.stop("CA-dup");
        assertThat(first.closeStatus()).isEqualTo("1000 stream stopped");
    }
}
