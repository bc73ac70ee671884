package io.emostream.ingest.audiosocket;

import io.emostream.ingest.live.SourceAllowList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.ChunkTopic;
import io.emostream.ingest.WavFiles;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveLimits;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Asterisk's side of AudioSocket, played by a client written from the wire format, against the running server, a
 * real broker and the topic read back as a consumer would.
 */
@Timeout(120)
class AudioSocketServerTest {
    private static final Path FIXTURES = Path.of(System.getProperty("emostream.fixtures"));
    private static final String TOPIC = "audiosocket";
    private static final int SLIN = 0x10;
    private static final int SLIN16 = 0x12;
    private static final byte[] HANGUP = {0, 0, 0};
    private static EmbeddedKafka kafka;
    private static ChunkPublisher publisher;
    private static LiveCalls calls;
    private static AudioSocketServer server;
    /** The customer's side of the fixture call as Asterisk would send it: μ-law decoded to s16le. */
    private static byte[] customer8k;
    private static byte[] podcast16k;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.builder().start();
        publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), TOPIC));
        calls = new LiveCalls(publisher, LiveLimits.defaults().withMaxMessageBytes(2048));
        server = AudioSocketServer.start(AudioSocketSettings.defaults(0), calls);
        customer8k = ulawToS16le(WavFiles.channelBytes(FIXTURES.resolve("call-stereo-8k-mulaw.wav"), 1));
        podcast16k = WavFiles.channelBytes(FIXTURES.resolve("podcast-mono-16k.wav"), 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        calls.close();
        publisher.close();
        kafka.close();
    }

    /** G.711 μ-law to 16-bit linear, as Asterisk's codec translation does before AudioSocket sends slin. */
    private static byte[] ulawToS16le(byte[] ulaw) {
        byte[] pcm = new byte[ulaw.length * 2];
        for (int i = 0; i < ulaw.length; i++) {
            int u = ~ulaw[i] & 0xff;
            int magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)) - 0x84;
            int sample = (u & 0x80) != 0 ? -magnitude : magnitude;
            pcm[2 * i] = (byte) sample;
            pcm[2 * i + 1] = (byte) (sample >> 8);
        }
        return pcm;
    }

    private static ChunkTopic topicUntilEnds(String... callIds) {
        return ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, callIds.length, callIds);
    }

    private static void assertEndedWith(ChunkTopic topic, String callId, byte[] audio) {
        List<AudioChunk> chunks = topic.stream(callId, 0);
        assertThat(chunks).isNotEmpty();
        assertThat(chunks.get(chunks.size() - 1).getEndOfStream()).isTrue();
        byte[] received = topic.audio(callId, 0);
        assertThat(received.length).as("bytes of call %s", callId).isEqualTo(audio.length);
        assertThat(Arrays.equals(received, audio)).as("call %s arrived bit-exact", callId).isTrue();
    }

    @Test
    void aCallArrivesBitExactUnderItsUuidWithThePortsRole() throws Exception {
        UUID uuid = UUID.randomUUID();
        byte[] answer;
        try (AudioSocketClient asterisk = new AudioSocketClient(server.port())) {
            asterisk.uuid(uuid).audio(SLIN, 8000, customer8k).hangup();
            answer = asterisk.readUntilClosed();
        }

        assertThat(answer).as("nothing but the close answers Asterisk's own hangup").isEmpty();
        String callId = uuid.toString();
        ChunkTopic topic = topicUntilEnds(callId);
        assertEndedWith(topic, callId, customer8k);
        assertThat(topic.stream(callId, 0)).allSatisfy(chunk -> {
            assertThat(chunk.getRole()).isEqualTo(SpeakerRole.CUSTOMER);
            assertThat(chunk.getSampleRate()).isEqualTo(8000);
            assertThat(chunk.getEncoding()).isEqualTo(AudioEncoding.PCM_S16LE);
            assertThat(chunk.getChannels()).isEqualTo(1);
            assertThat(chunk.getSource()).startsWith("audiosocket:127.0.0.1:");
        });
    }

    @Test
    void theSlin16KindGivesASixteenKilohertzCall() throws Exception {
        UUID uuid = UUID.randomUUID();
        try (AudioSocketClient asterisk = new AudioSocketClient(server.port())) {
            asterisk.uuid(uuid).audio(SLIN16, 16000, podcast16k).hangup().readUntilClosed();
        }

        ChunkTopic topic = topicUntilEnds(uuid.toString());
        assertEndedWith(topic, uuid.toString(), podcast16k);
        assertThat(topic.stream(uuid.toString(), 0)).extracting(AudioChunk::getSampleRate).containsOnly(16000);
    }

    @Test
    void aPortForAgentsGivesItsCallsTheAgentRole() throws Exception {
        UUID uuid = UUID.randomUUID();
        try (AudioSocketServer agents = AudioSocketServer.start(AudioSocketSettings.parse("0:agent"), calls);
             AudioSocketClient asterisk = new AudioSocketClient(agents.port())) {
            asterisk.uuid(uuid).audio(SLIN, 8000, Arrays.copyOf(customer8k, 3200)).hangup().readUntilClosed();
        }

        ChunkTopic topic = topicUntilEnds(uuid.toString());
        assertThat(topic.stream(uuid.toString(), 0)).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.AGENT);
    }

    @Test
    void dtmfAndErrorMessagesDoNotBreakTheStream() throws Exception {
        UUID uuid = UUID.randomUUID();
        byte[] first = Arrays.copyOfRange(customer8k, 0, 8000);
        byte[] second = Arrays.copyOfRange(customer8k, 8000, 16000);
        try (LogLines log = LogLines.of(AudioSocketConnection.class);
             AudioSocketClient asterisk = new AudioSocketClient(server.port())) {
            asterisk.uuid(uuid).audio(SLIN, 8000, first).send(0x03, new byte[] {'7'}).send(0xff, new byte[] {0x02})
                    .audio(SLIN, 8000, second).hangup().readUntilClosed();

            assertThat(log.await("Asterisk reports an error on AudioSocket call " + uuid))
                    .endsWith("code 0x02: a frame could not be forwarded");
            assertThat(log.await("DTMF digits: ")).contains("call " + uuid).endsWith("DTMF digits: 1");
        }

        byte[] both = Arrays.copyOf(first, 16000);
        System.arraycopy(second, 0, both, 8000, 8000);
        assertEndedWith(topicUntilEnds(uuid.toString()), uuid.toString(), both);
    }

    @Test
    void aHangupMidStreamEndsTheCallWithWhatWasSent() throws Exception {
        UUID uuid = UUID.randomUUID();
        byte[] half = Arrays.copyOf(customer8k, customer8k.length / 4 * 2);
        try (AudioSocketClient asterisk = new AudioSocketClient(server.port())) {
            asterisk.uuid(uuid).audio(SLIN, 8000, half).hangup().readUntilClosed();
        }

        assertEndedWith(topicUntilEnds(uuid.toString()), uuid.toString(), half);
    }

    @Test
    void aConnectionClosedWithoutHangupEndsTheCallWithWhatWasSent() throws Exception {
        UUID uuid = UUID.randomUUID();
        byte[] sent = Arrays.copyOf(customer8k, 4800);
        try (AudioSocketClient asterisk = new AudioSocketClient(server.port())) {
            // The last message is cut off after two of its 320 bytes.
            asterisk.uuid(uuid).audio(SLIN, 8000, sent).raw(SLIN, 0x01, 0x40, 0x11, 0x22);
        }

        assertEndedWith(topicUntilEnds(uuid.toString()), uuid.toString(), sent);
    }

    @Test
    void aResetConnectionEndsTheCallWithWhatWasSent() throws Exception {
        UUID uuid = UUID.randomUUID();
        byte[] sent = Arrays.copyOf(customer8k, 6400);
        AudioSocketClient asterisk = new AudioSocketClient(server.port());
        asterisk.uuid(uuid).audio(SLIN, 8000, sent);
        // A reset discards what the server has not read yet: wait until it has taken every message.
        try (LogLines log = LogLines.of(AudioSocketConnection.class)) {
            asterisk.send(0xff, new byte[] {0x01});
            assertThat(log.await("Asterisk reports an error on AudioSocket call " + uuid)).isNotNull();
        }

        asterisk.abort();

        assertEndedWith(topicUntilEnds(uuid.toString()), uuid.toString(), sent);
    }

    @Test
    void audioBeforeTheUuidIsRefusedWithAHangup() throws Exception {
        assertRefused(asterisk -> asterisk.audio(SLIN, 8000, Arrays.copyOf(customer8k, 320)),
                "AudioSocket connection from 127.0.0.1:", "refused: audio arrived before the UUID message");
    }

    @Test
    void anUnknownKindIsRefusedWithAHangupAndTheCallKeepsItsAudio() throws Exception {
        UUID uuid = UUID.randomUUID();
        byte[] sent = Arrays.copyOf(customer8k, 3200);
        assertRefused(asterisk -> asterisk.uuid(uuid).audio(SLIN, 8000, sent).send(0x02, new byte[] {1, '5', 0, 0, 0, 0}),
                "AudioSocket call " + uuid, "refused: message kind 0x02 is not an AudioSocket kind");

        assertEndedWith(topicUntilEnds(uuid.toString()), uuid.toString(), sent);
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedWithAHangup() throws Exception {
        UUID uuid = UUID.randomUUID();
        byte[] sent = Arrays.copyOf(customer8k, 3200);
        assertRefused(asterisk -> asterisk.uuid(uuid).audio(SLIN, 8000, sent).send(SLIN, new byte[4000]),
                "AudioSocket call " + uuid,
                "refused: a message of kind 0x10 with 4000 payload bytes is over the limit of 2048 bytes per message");

        assertEndedWith(topicUntilEnds(uuid.toString()), uuid.toString(), sent);
    }

    @Test
    void anotherRateMidCallIsRefusedWithAHangup() throws Exception {
        UUID uuid = UUID.randomUUID();
        byte[] sent = Arrays.copyOf(customer8k, 3200);
        assertRefused(asterisk -> asterisk.uuid(uuid).audio(SLIN, 8000, sent).audio(SLIN16, 16000, Arrays.copyOf(podcast16k, 640)),
                "AudioSocket call " + uuid,
                "refused: audio of kind 0x12 (16000 Hz) arrived in a call that started with kind 0x10 (8000 Hz)");

        assertEndedWith(topicUntilEnds(uuid.toString()), uuid.toString(), sent);
    }

    @Test
    void aUuidAlreadyStreamingIsRefusedWithAHangup() throws Exception {
        UUID uuid = UUID.randomUUID();
        try (AudioSocketClient first = new AudioSocketClient(server.port())) {
            try (LogLines log = LogLines.of(AudioSocketConnection.class)) {
                first.uuid(uuid).audio(SLIN, 8000, Arrays.copyOf(customer8k, 320));
                assertThat(log.await("AudioSocket call " + uuid + " started")).isNotNull();
            }

            assertRefused(second -> second.uuid(uuid).audio(SLIN, 8000, Arrays.copyOf(customer8k, 320)),
                    "AudioSocket call " + uuid, "refused: call " + uuid + " is already streaming on another connection");
            first.hangup().readUntilClosed();
        }
    }

    @Test
    void anAddressOutsideTheAllowListIsClosedUnreadWithoutACall() throws Exception {
        try (ChunkPublisher own = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), "audiosocket-denied"));
             LiveCalls guarded = new LiveCalls(own, LiveLimits.defaults());
             AudioSocketServer strict = AudioSocketServer.start(
                     AudioSocketSettings.defaults(0).withAllowList(SourceAllowList.parse("10.0.0.0/8")), guarded);
             LogLines log = LogLines.of(AudioSocketServer.class)) {
            byte[] answer;
            try (AudioSocketClient stranger = new AudioSocketClient(strict.port())) {
                try {
                    stranger.uuid(UUID.randomUUID());
                } catch (java.net.SocketException closedFirst) {
                    // The server may close before the client has written: unread either way.
                }
                answer = stranger.readUntilClosed();
            }

            assertThat(answer).isEmpty();
            assertThat(log.await("refused: the address is not in the allow-list 10.0.0.0/8")).startsWith("WARN");
            assertThat(guarded.stats().started()).isZero();
        }
    }

    @Test
    void aSilentConnectionIsHungUpAfterTheIdleTimeoutAndKeepsItsAudio() throws Exception {
        UUID uuid = UUID.randomUUID();
        byte[] sent = Arrays.copyOf(customer8k, 1600);
        try (LiveCalls impatient = new LiveCalls(publisher, LiveLimits.defaults().withIdleTimeout(Duration.ofSeconds(1)));
             AudioSocketServer quick = AudioSocketServer.start(AudioSocketSettings.defaults(0), impatient);
             AudioSocketClient asterisk = new AudioSocketClient(quick.port())) {
            asterisk.uuid(uuid).audio(SLIN, 8000, sent);

            assertThat(asterisk.readUntilClosed()).isEqualTo(HANGUP);
        }

        assertEndedWith(topicUntilEnds(uuid.toString()), uuid.toString(), sent);
    }

    @Test
    void aCallKafkaRefusesIsHungUp() throws Exception {
        // The broker's producer refuses records over 200 bytes: a 100 ms chunk at 8 kHz is 1,600.
        Properties tiny = new Properties();
        tiny.put("max.request.size", "200");
        try (ChunkPublisher refusing = ChunkPublisher.open(new KafkaSettings(kafka.bootstrapServers(), "audiosocket-refused",
                     KafkaSettings.DEFAULT_PARTITIONS, tiny));
             LiveCalls undeliverable = new LiveCalls(refusing, LiveLimits.defaults());
             AudioSocketServer refused = AudioSocketServer.start(AudioSocketSettings.defaults(0), undeliverable);
             AudioSocketClient asterisk = new AudioSocketClient(refused.port())) {
            asterisk.uuid(UUID.randomUUID()).audio(SLIN, 8000, Arrays.copyOf(customer8k, 3200));

            assertThat(asterisk.readUntilClosed()).isEqualTo(HANGUP);
            assertThat(undeliverable.stats().undeliverable()).isEqualTo(1);
        }
    }

    @Test
    void stoppingTheServerEndsItsCallsWithTheAudioReceived() throws Exception {
        UUID uuid = UUID.randomUUID();
        AudioSocketServer stopping = AudioSocketServer.start(AudioSocketSettings.defaults(0), calls);
        try (AudioSocketClient asterisk = new AudioSocketClient(stopping.port());
             LogLines log = LogLines.of(AudioSocketConnection.class)) {
            asterisk.uuid(uuid).audio(SLIN, 8000, Arrays.copyOf(customer8k, 1600)).send(0xff, new byte[0]);
            assertThat(log.await("Asterisk reports an error on AudioSocket call " + uuid)).isNotNull();

            stopping.close();

            assertThat(asterisk.readUntilClosed()).isEmpty();
        }
        publisher.flush();
        assertEndedWith(topicUntilEnds(uuid.toString()), uuid.toString(), Arrays.copyOf(customer8k, 1600));
    }

    @Test
    void aPortInUseFailsWithOneSentence() {
        assertThatThrownBy(() -> AudioSocketServer.start(AudioSocketSettings.defaults(server.port()), calls))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot listen for AudioSocket on 127.0.0.1:" + server.port() + " (")
                .hasMessageEndingWith("); choose another port with --audiosocket.");
    }

    private interface Exchange {
        void run(AudioSocketClient asterisk) throws Exception;
    }

    /** The exchange ends in our hangup message and a close, with a warning; then the server still takes calls. */
    private static void assertRefused(Exchange exchange, String who, String why) throws Exception {
        try (LogLines log = LogLines.of(AudioSocketConnection.class);
             AudioSocketClient asterisk = new AudioSocketClient(server.port())) {
            exchange.run(asterisk);

            assertThat(asterisk.readUntilClosed()).isEqualTo(HANGUP);
            String line = log.await(why);
            assertThat(line).startsWith("WARN " + who);
        }
        UUID next = UUID.randomUUID();
        try (AudioSocketClient asterisk = new AudioSocketClient(server.port())) {
            asterisk.uuid(next).audio(SLIN, 8000, Arrays.copyOf(customer8k, 640)).hangup().readUntilClosed();
        }
        assertEndedWith(topicUntilEnds(next.toString()), next.toString(), Arrays.copyOf(customer8k, 640));
    }
}
