package io.emostream.ingest.audiohook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.emostream.ingest.ChunkTopic;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveIngestServer;
import io.emostream.ingest.live.LiveLimits;
import io.emostream.ingest.live.TlsSettings;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.testkit.GenesysAudioHookClient;
import io.emostream.testkit.SelfSignedKeyStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every live protocol shares, shown through AudioHook: the limit of calls at once, a call Kafka refuses (closed
 * with the protocol's own error and counted), and TLS on the port.
 */
@Timeout(120)
class AudioHookLimitsTest {
    private static final String STEREO = "[{\"type\":\"audio\",\"format\":\"PCMU\",\"channels\":[\"external\",\"internal\"],\"rate\":8000}]";
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.builder().start();
        // A topic whose record batches may hold 600 bytes refuses every 100 ms chunk of μ-law audio (800 bytes of
        // samples), and takes the end-of-stream markers, which carry none.
        kafka.admin().createTopics(List.of(new NewTopic("small-records", 1, (short) 1)
                .configs(Map.of("max.message.bytes", "600")))).all().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static GenesysAudioHookClient opened(int port, String conversation) throws Exception {
        GenesysAudioHookClient genesys = new GenesysAudioHookClient();
        genesys.connect(port, Map.of()).join();
        genesys.open(conversation, STEREO);
        return genesys;
    }

    @Test
    void aCallOverTheLimitIsDisconnectedWithTheReason() throws Exception {
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), "limits"))) {
            LiveCalls calls = new LiveCalls(publisher, LiveLimits.defaults().withMaxCalls(1));
            try (LiveIngestServer server = LiveIngestServer.start(LiveIngestServer.Settings.defaults(0), calls,
                    List.of(AudioHook.route(AudioHookSettings.open(), calls)))) {
                GenesysAudioHookClient first = opened(server.port(), UUID.randomUUID().toString());
                first.expect("opened");

                GenesysAudioHookClient second = opened(server.port(), UUID.randomUUID().toString());
                JsonNode disconnect = second.expect("disconnect");

                assertThat(disconnect.path("parameters").path("info").asText())
                        .isEqualTo("this ingest process already streams its limit of 1 calls at once");
                assertThat(calls.stats().refused()).isEqualTo(1);
                assertThat(calls.stats().active()).isEqualTo(1);
            }
        }
    }

    @Test
    void aCallKafkaRefusesIsDisconnectedWithTheProtocolsErrorCountedAndStillEnded() throws Exception {
        String conversation = UUID.randomUUID().toString();
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), "small-records"))) {
            LiveCalls calls = new LiveCalls(publisher, LiveLimits.defaults());
            try (LiveIngestServer server = LiveIngestServer.start(LiveIngestServer.Settings.defaults(0), calls,
                    List.of(AudioHook.route(AudioHookSettings.open(), calls)))) {
                GenesysAudioHookClient genesys = opened(server.port(), conversation);
                genesys.expect("opened");
                byte[] second = new byte[2 * 8000];
                for (int offset = 0; offset < second.length; offset += 320) {
                    genesys.audio(second, offset, 320, 2, 1);
                }

                JsonNode disconnect = genesys.expect("disconnect");

                assertThat(disconnect.path("parameters").path("reason").asText()).isEqualTo("error");
                assertThat(disconnect.path("parameters").path("info").asText())
                        .startsWith("emostream could not deliver this call's audio to Kafka (");
                assertThat(calls.stats().undeliverable()).isEqualTo(1);
            }
        }
        ChunkTopic topic = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), "small-records", 2, conversation);
        assertThat(topic.records()).extracting(r -> r.value().getEndOfStream()).containsOnly(true);
        assertThat(topic.records()).extracting(r -> r.value().getChannel()).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void theListenPortSpeaksTlsWithAKeyStore(@TempDir Path dir) throws Exception {
        Path keyStore = SelfSignedKeyStore.create(dir.resolve("ingest.p12"), "changeit");
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), "tls"))) {
            LiveCalls calls = new LiveCalls(publisher, LiveLimits.defaults());
            try (LiveIngestServer server = LiveIngestServer.start(LiveIngestServer.Settings.defaults(0)
                    .withTls(new TlsSettings(keyStore, "changeit")), calls, List.of(AudioHook.route(AudioHookSettings.open(), calls)))) {
                assertThat(server.urls("127.0.0.1")).anyMatch(url -> url.startsWith("wss://127.0.0.1:" + server.port() + "/audiohook"));
                GenesysAudioHookClient genesys = new GenesysAudioHookClient();
                genesys.connect(URI.create("wss://127.0.0.1:" + server.port() + "/audiohook"), HttpClient.newBuilder().sslContext(SelfSignedKeyStore.trusting(keyStore, "changeit")).build(), Map.of()).join();
                genesys.open("00000000-0000-0000-0000-000000000000", STEREO);
                assertThat(genesys.expect("opened").path("parameters").path("media")).hasSize(1);

                Throwable plain = catchThrowable(() -> new GenesysAudioHookClient().connect(server.port(), Map.of()).join());
                assertThat(plain).as("plain ws to the TLS port").isNotNull();
            }
        }
    }
}
