package io.emostream.ingest.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.ChunkTopic;
import io.emostream.ingest.WavFiles;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.SpeakerRole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class LiveIngestServerTest {
    private static final Path CALL = Path.of(System.getProperty("emostream.fixtures"), "call-stereo-8k-mulaw.wav");
    private static final String TOKEN = "s3cret-token";
    private static final String TOPIC = "live";
    private static EmbeddedKafka kafka;
    private static ChunkPublisher publisher;
    private static LiveIngestServer server;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.builder().start();
        publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), TOPIC));
        server = LiveIngestServer.start(LiveIngestServer.Settings.defaults(0).withToken(TOKEN),
                new LiveCalls(publisher, LiveLimits.defaults()));
    }

    @AfterAll
    static void stop() {
        server.close();
        publisher.close();
        kafka.close();
    }

    /** Collects what the server says on one connection. */
    static final class Peer implements WebSocket.Listener {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            texts.add(data.toString());
            ws.request(1);
            return null;
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

        String nextText() throws InterruptedException {
            return texts.poll(20, TimeUnit.SECONDS);
        }

        String closeStatus() throws Exception {
            return closed.get(20, TimeUnit.SECONDS);
        }
    }

    private static WebSocket connect(Peer peer, String query, String bearer) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + LiveIngestServer.PATH + query);
        return builder.buildAsync(uri, peer).join();
    }

    private static String start(String callId) {
        return "{\"type\":\"start\",\"callId\":\"" + callId + "\",\"sampleRate\":8000,\"encoding\":\"mulaw\","
                + "\"channels\":2,\"roles\":[\"agent\",\"customer\"],\"source\":\"test-phone\"}";
    }

    /** Connects with the token, starts the call and waits for the server's "started". */
    private static WebSocket startedCall(Peer peer, String callId) throws InterruptedException {
        WebSocket ws = connect(peer, "", TOKEN);
        ws.sendText(start(callId), true).join();
        assertThat(peer.nextText()).isEqualTo("{\"type\":\"started\",\"callId\":\"" + callId + "\"}");
        return ws;
    }

    @Test
    void aClientStreamsACallAndItsChunksArriveBitExact() throws Exception {
        byte[] agent = WavFiles.channelBytes(CALL, 0);
        byte[] customer = WavFiles.channelBytes(CALL, 1);
        byte[] interleaved = new byte[agent.length * 2];
        for (int i = 0; i < agent.length; i++) {
            interleaved[2 * i] = agent[i];
            interleaved[2 * i + 1] = customer[i];
        }
        Peer peer = new Peer();
        WebSocket ws = startedCall(peer, "live-1");

        // Odd-sized frames: a frame may end in the middle of a sample frame.
        for (int offset = 0; offset < interleaved.length; offset += 333) {
            int n = Math.min(333, interleaved.length - offset);
            ws.sendBinary(ByteBuffer.wrap(interleaved, offset, n), true).join();
        }
        ws.sendText("{\"type\":\"end\"}", true).join();

        assertThat(peer.nextText()).startsWith("{\"type\":\"ended\",\"callId\":\"live-1\"")
                .contains("\"deliveredChunks\":98", "\"failedChunks\":0", "\"droppedBytes\":0");
        assertThat(peer.closeStatus()).isEqualTo("1000 call ended");
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, "live-1");
        assertThat(content.audio("live-1", 0)).isEqualTo(agent);
        assertThat(content.audio("live-1", 1)).isEqualTo(customer);
        assertThat(content.stream("live-1", 1)).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.CUSTOMER);
        assertThat(content.stream("live-1", 0)).extracting(AudioChunk::getSource).containsOnly("ws:test-phone");
    }

    @Test
    void aBadStartMessageClosesTheConnectionWithTheReason() throws Exception {
        Peer peer = new Peer();
        WebSocket ws = connect(peer, "", TOKEN);

        ws.sendText("{\"type\":\"start\",\"callId\":\"x\",\"sampleRate\":8000,\"encoding\":\"opus\"}", true);

        assertThat(peer.closeStatus()).isEqualTo("1008 start message: unknown encoding 'opus'; use one of s16le, mulaw, alaw");
    }

    @Test
    void audioBeforeTheStartMessageIsRefused() throws Exception {
        Peer peer = new Peer();
        WebSocket ws = connect(peer, "", TOKEN);

        ws.sendBinary(ByteBuffer.wrap(new byte[160]), true);

        assertThat(peer.closeStatus()).isEqualTo("1008 audio arrived before the start message");
    }

    @Test
    void withoutTheTokenTheUpgradeIsRefusedWith401() {
        assertThatThrownBy(() -> connect(new Peer(), "", null))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
        assertThatThrownBy(() -> connect(new Peer(), "", "wrong-token"))
                .cause().isInstanceOf(WebSocketHandshakeException.class);
    }

    @Test
    void browsersMayPassTheTokenInTheQueryString() throws Exception {
        Peer peer = new Peer();
        WebSocket ws = connect(peer, "?access_token=" + TOKEN, null);
        ws.sendText(start("live-query"), true).join();

        assertThat(peer.nextText()).contains("started");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void aSecondConnectionForACallThatIsStreamingIsRefused() throws Exception {
        Peer first = new Peer();
        WebSocket ws = startedCall(first, "live-dup");

        Peer second = new Peer();
        connect(second, "", TOKEN).sendText(start("live-dup"), true);

        assertThat(second.closeStatus()).isEqualTo("1008 call live-dup is already streaming on another connection");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void aDroppedConnectionStillEndsEveryChannelWithTheAudioReceived() throws Exception {
        Peer peer = new Peer();
        WebSocket ws = startedCall(peer, "live-drop");
        ws.sendBinary(ByteBuffer.wrap(new byte[2 * 1000]), true).join();

        ws.abort();

        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, "live-drop");
        List<AudioChunk> agent = content.stream("live-drop", 0);
        assertThat(agent).isNotEmpty();
        assertThat(agent.get(agent.size() - 1).getEndOfStream()).isTrue();
        assertThat(content.audio("live-drop", 0)).hasSize(1000);
        assertThat(content.audio("live-drop", 1)).hasSize(1000);
    }

    @Test
    void aCallIdThatHasEndedCannotBeStreamedAgain() throws Exception {
        Peer first = new Peer();
        WebSocket ws = startedCall(first, "live-once");
        ws.sendText("{\n  \"type\": \"end\"\n}", true).join();
        assertThat(first.nextText()).as("an end message laid out over lines still ends the call").contains("\"ended\"");

        Peer again = new Peer();
        connect(again, "", TOKEN).sendText(start("live-once"), true);

        assertThat(again.closeStatus()).isEqualTo("1008 call live-once has already been streamed and ended; use a new call id");
    }

    @Test
    void bytesLeftInsideASampleFrameAtTheEndAreReported() throws Exception {
        Peer peer = new Peer();
        WebSocket ws = startedCall(peer, "live-dangling");

        ws.sendBinary(ByteBuffer.wrap(new byte[801]), true).join();
        ws.sendText("{\"type\":\"end\"}", true).join();

        assertThat(peer.nextText()).contains("\"droppedBytes\":1", "\"seconds\":0.05");
    }

    @Test
    void aMessageOverTheSizeLimitClosesTheConnection() throws Exception {
        Peer peer = new Peer();
        WebSocket ws = startedCall(peer, "live-huge");

        ws.sendBinary(ByteBuffer.wrap(new byte[(1 << 20) + 2]), true);

        assertThat(peer.closeStatus()).startsWith("1009");
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, "live-huge");
        assertThat(content.stream("live-huge", 0)).last().matches(AudioChunk::getEndOfStream);
    }

    @Test
    void stoppingTheServerEndsTheCallsItCarries() throws Exception {
        try (ChunkPublisher own = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), "live-stop"))) {
            LiveIngestServer stopping = LiveIngestServer.start(LiveIngestServer.Settings.defaults(0), new LiveCalls(own, LiveLimits.defaults()));
            Peer peer = new Peer();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + stopping.port() + LiveIngestServer.PATH), peer).join();
            ws.sendText(start("live-stopped"), true).join();
            assertThat(peer.nextText()).contains("started");
            ws.sendBinary(ByteBuffer.wrap(new byte[2 * 400]), true).join();
            // Jetty hands the frame to the call before the stop below closes it.
            Thread.sleep(200);

            stopping.close();
            own.flush();
        }
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), "live-stop", 2, "live-stopped");
        assertThat(content.audio("live-stopped", 1)).hasSize(400);
        assertThat(content.stream("live-stopped", 1)).last().matches(AudioChunk::getEndOfStream);
    }
}
