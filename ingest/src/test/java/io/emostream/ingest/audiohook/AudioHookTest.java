package io.emostream.ingest.audiohook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.emostream.ingest.ChunkTopic;
import io.emostream.ingest.WavFiles;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveIngestServer;
import io.emostream.ingest.live.LiveLimits;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import io.emostream.testkit.GenesysAudioHookClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Genesys's side of AudioHook, played by {@link GenesysAudioHookClient}, against the running ingest port and a real broker. */
@Timeout(120)
class AudioHookTest {
    private static final Path CALL = Path.of(System.getProperty("emostream.fixtures"), "call-stereo-8k-mulaw.wav");
    private static final String TOPIC = "audiohook";
    private static final String API_KEY = "emostream-test-api-key";
    private static final String SECRET = Base64.getEncoder()
            .encodeToString("a client secret of thirty-two by".getBytes(StandardCharsets.US_ASCII));
    private static final String PCMU_STEREO = "{\"type\":\"audio\",\"format\":\"PCMU\",\"channels\":[\"external\",\"internal\"],\"rate\":8000}";
    private static final String L16_STEREO = "{\"type\":\"audio\",\"format\":\"L16\",\"channels\":[\"external\",\"internal\"],\"rate\":8000}";
    private static EmbeddedKafka kafka;
    private static ChunkPublisher publisher;
    private static LiveCalls calls;
    private static LiveIngestServer server;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.builder().start();
        publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), TOPIC));
        calls = new LiveCalls(publisher, LiveLimits.defaults());
        server = LiveIngestServer.start(LiveIngestServer.Settings.defaults(0), calls,
                List.of(AudioHook.route(AudioHookSettings.of(API_KEY, SECRET), calls)));
    }

    @AfterAll
    static void stop() {
        server.close();
        publisher.close();
        kafka.close();
    }

    private static Map<String, String> freshHeaders(GenesysAudioHookClient client, long createdS) throws Exception {
        return GenesysAudioHookClient.signedHeaders("127.0.0.1:" + server.port(), AudioHookSettings.PATH, API_KEY, SECRET,
                client.sessionId(), createdS, UUID.randomUUID().toString());
    }

    private static GenesysAudioHookClient connected() throws Exception {
        GenesysAudioHookClient client = new GenesysAudioHookClient();
        client.connect(server.port(), freshHeaders(client, System.currentTimeMillis() / 1000)).join();
        return client;
    }

    private static int refusedStatus(GenesysAudioHookClient client, Map<String, String> headers) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> client.connect(server.port(), headers).join());
        assertThat(failure).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }

    private static byte[] interleave(byte[] channel0, byte[] channel1, int bytesPerSample) {
        byte[] out = new byte[channel0.length * 2];
        for (int i = 0; i < channel0.length / bytesPerSample; i++) {
            System.arraycopy(channel0, i * bytesPerSample, out, 2 * i * bytesPerSample, bytesPerSample);
            System.arraycopy(channel1, i * bytesPerSample, out, (2 * i + 1) * bytesPerSample, bytesPerSample);
        }
        return out;
    }

    /** Sends frames of 20 ms from {@code from} to {@code to} (bytes of interleaved audio), as Genesys does. */
    private static void stream(GenesysAudioHookClient client, byte[] audio, int from, int to, int bytesPerSample) {
        int frame = 160 * 2 * bytesPerSample;
        for (int offset = from; offset < to; offset += frame) {
            client.audio(audio, offset, Math.min(frame, to - offset), 2, bytesPerSample);
        }
    }

    private static byte[] l16(short[] samples) {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    @Test
    void aConversationArrivesBitExactWithItsRolesMetadataAndPausesOnItsTimeline() throws Exception {
        byte[] agent = WavFiles.channelBytes(CALL, 0);
        byte[] customer = WavFiles.channelBytes(CALL, 1);
        byte[] audio = interleave(customer, agent, 1);
        int half = 160 * 2 * 11;
        String conversation = UUID.randomUUID().toString();
        GenesysAudioHookClient genesys = connected();

        genesys.open(conversation, "[{\"type\":\"audio\",\"format\":\"opus\",\"channels\":[\"external\"],\"rate\":48000},"
                + PCMU_STEREO + "]");
        JsonNode opened = genesys.expect("opened");
        assertThat(opened.path("clientseq").asLong()).isEqualTo(1);
        assertThat(opened.path("parameters").path("media").get(0).toString()).isEqualTo(PCMU_STEREO);
        genesys.send("ping", GenesysAudioHookClient.JSON.createObjectNode());
        JsonNode pong = genesys.expect("pong");
        assertThat(pong.path("clientseq").asLong()).isEqualTo(2);
        assertThat(pong.path("seq").asLong()).isEqualTo(opened.path("seq").asLong() + 1);
        stream(genesys, audio, 0, half, 1);
        genesys.send("paused", GenesysAudioHookClient.JSON.createObjectNode());
        genesys.send("resumed", GenesysAudioHookClient.JSON.createObjectNode().put("start", "PT0.22S").put("discarded", "PT0.5S"));
        genesys.send("update", GenesysAudioHookClient.JSON.createObjectNode().put("language", "fr-FR"));
        stream(genesys, audio, half, audio.length, 1);
        genesys.send("close", GenesysAudioHookClient.JSON.createObjectNode().put("reason", "end"));
        genesys.expect("closed");

        ChunkTopic topic = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, conversation);
        assertThat(topic.audio(conversation, 0)).isEqualTo(customer);
        assertThat(topic.audio(conversation, 1)).isEqualTo(agent);
        assertThat(topic.stream(conversation, 0)).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.CUSTOMER);
        assertThat(topic.stream(conversation, 1)).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.AGENT);
        assertThat(topic.stream(conversation, 1)).extracting(AudioChunk::getEncoding).containsOnly(AudioEncoding.MULAW);
        // The half second discarded during the pause is a gap on the timeline, right after the audio before it.
        // 11 frames of 160 samples went out before the pause.
        assertThat(topic.stream(conversation, 0)).extracting(AudioChunk::getFirstSample)
                .startsWith(0L, 800L, 1600L, 1760L + 4000L, 1760L + 4800L);
        AudioChunk first = topic.stream(conversation, 0).get(0);
        assertThat(first.getSource()).startsWith("audiohook:127.0.0.1:");
        assertThat(first.getSourceMetadata()).containsEntry("ani", "+14155550123").containsEntry("dnis", "+18005550199")
                .containsEntry("genesys.conversationId", conversation).containsEntry("genesys.language", "en-US")
                .containsEntry("genesys.organizationId", GenesysAudioHookClient.ORGANIZATION);
        List<AudioChunk> customerChunks = topic.stream(conversation, 0);
        AudioChunk last = customerChunks.get(customerChunks.size() - 1);
        assertThat(last.getEndOfStream()).isTrue();
        assertThat(last.getSourceMetadata()).containsEntry("genesys.language", "fr-FR");
    }

    @Test
    void theConnectionProbeIsAnsweredWithoutACall() throws Exception {
        long started = calls.stats().started();
        GenesysAudioHookClient probe = connected();

        probe.open(AudioHookSession.PROBE_CONVERSATION, "[" + PCMU_STEREO + "]");
        assertThat(probe.expect("opened").path("parameters").path("media").get(0).path("format").asText()).isEqualTo("PCMU");
        // Genesys's reference client sends audio after opened even when probing: an empty frame, or a tone.
        probe.audio(new byte[0], 0, 0, 2, 1);
        probe.audio(new byte[320], 0, 320, 2, 1);
        probe.send("close", GenesysAudioHookClient.JSON.createObjectNode().put("reason", "end"));
        JsonNode answer = probe.next();
        assertThat(answer.path("type").asText()).as("no disconnect for the probe's audio: %s", answer).isEqualTo("closed");

        assertThat(calls.stats().started()).isEqualTo(started);
    }

    @Test
    void aRequestWithoutTheRightKeyOrSignatureIsRefusedBeforeTheUpgrade() throws Exception {
        GenesysAudioHookClient client = new GenesysAudioHookClient();
        long now = System.currentTimeMillis() / 1000;

        Map<String, String> wrongKey = new java.util.LinkedHashMap<>(freshHeaders(client, now));
        wrongKey.put("X-API-KEY", "another-key");
        assertThat(refusedStatus(client, wrongKey)).isEqualTo(401);

        Map<String, String> badSignature = GenesysAudioHookClient.signedHeaders("127.0.0.1:" + server.port(), AudioHookSettings.PATH,
                API_KEY, Base64.getEncoder().encodeToString(new byte[32]), client.sessionId(), now, UUID.randomUUID().toString());
        assertThat(refusedStatus(client, badSignature)).isEqualTo(401);

        assertThat(refusedStatus(client, freshHeaders(client, now - 600))).as("expired").isEqualTo(401);

        Map<String, String> unsigned = new java.util.LinkedHashMap<>(freshHeaders(client, now));
        unsigned.remove("Signature");
        unsigned.remove("Signature-Input");
        assertThat(refusedStatus(client, unsigned)).isEqualTo(401);
    }

    @Test
    void aReplayedRequestIsRefusedEvenWithAValidSignature() throws Exception {
        GenesysAudioHookClient first = new GenesysAudioHookClient();
        Map<String, String> headers = freshHeaders(first, System.currentTimeMillis() / 1000);
        first.connect(server.port(), headers).join();
        first.open(AudioHookSession.PROBE_CONVERSATION, "[" + PCMU_STEREO + "]");
        first.expect("opened");

        assertThat(refusedStatus(new GenesysAudioHookClient(), headers)).isEqualTo(401);
    }

    @Test
    void aSequenceGapIsAProtocolErrorAndTheAudioBeforeItIsKept() throws Exception {
        short[] tone = WavFiles.tone(8000, 0.5);
        byte[] external = l16(tone);
        byte[] internal = new byte[external.length];
        byte[] audio = interleave(external, internal, 2);
        String conversation = UUID.randomUUID().toString();
        GenesysAudioHookClient genesys = connected();
        genesys.open(conversation, "[" + L16_STEREO + "]");
        genesys.expect("opened");
        stream(genesys, audio, 0, audio.length, 2);

        genesys.sendWithSeqGap("ping");
        JsonNode disconnect = genesys.expect("disconnect");
        assertThat(disconnect.path("parameters").path("reason").asText()).isEqualTo("error");
        assertThat(disconnect.path("parameters").path("info").asText()).contains("seq");
        genesys.send("close", GenesysAudioHookClient.JSON.createObjectNode().put("reason", "error"));
        genesys.expect("closed");

        ChunkTopic topic = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, conversation);
        assertThat(topic.audio(conversation, 0)).isEqualTo(external);
        assertThat(topic.stream(conversation, 0)).extracting(AudioChunk::getEncoding).containsOnly(AudioEncoding.PCM_S16LE);
    }

    @Test
    void anOfferWithNoSupportedMediaIsDisconnectedWithoutACall() throws Exception {
        long started = calls.stats().started();
        GenesysAudioHookClient genesys = connected();

        genesys.open(UUID.randomUUID().toString(),
                "[{\"type\":\"audio\",\"format\":\"PCMU\",\"channels\":[\"external\",\"internal\"],\"rate\":16000}]");

        JsonNode disconnect = genesys.expect("disconnect");
        assertThat(disconnect.path("parameters").path("reason").asText()).isEqualTo("error");
        assertThat(disconnect.path("parameters").path("info").asText()).contains("PCMU or L16 at 8000 Hz");
        assertThat(calls.stats().started()).isEqualTo(started);
    }

    @Test
    void anUnsupportedMessageTypeWithALineBreakIsNamedInOneLine() throws Exception {
        // Found by AudioHookSessionFuzzTest: the type went raw into the disconnect's info and the log line.
        GenesysAudioHookClient genesys = connected();

        genesys.send("op\nen", GenesysAudioHookClient.JSON.createObjectNode());

        JsonNode disconnect = genesys.expect("disconnect");
        assertThat(disconnect.path("parameters").path("info").asText())
                .isEqualTo("'op\\x0Aen' is not a supported client message");
    }

    @Test
    void anAbruptDisconnectEndsBothChannelsWithTheAudioReceived() throws Exception {
        byte[] agent = WavFiles.channelBytes(CALL, 0);
        byte[] customer = WavFiles.channelBytes(CALL, 1);
        byte[] audio = interleave(customer, agent, 1);
        int sent = 160 * 2 * 25;
        String conversation = UUID.randomUUID().toString();
        GenesysAudioHookClient genesys = connected();
        genesys.open(conversation, "[" + PCMU_STEREO + "]");
        genesys.expect("opened");
        stream(genesys, audio, 0, sent, 1);

        genesys.dropConnection();

        ChunkTopic topic = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, conversation);
        assertThat(topic.audio(conversation, 0)).isEqualTo(java.util.Arrays.copyOf(customer, sent / 2));
        assertThat(topic.audio(conversation, 1)).isEqualTo(java.util.Arrays.copyOf(agent, sent / 2));
    }
}
