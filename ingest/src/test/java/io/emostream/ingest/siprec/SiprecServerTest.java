package io.emostream.ingest.siprec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.emostream.ingest.ChunkTopic;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.WavFiles;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveLimits;
import io.emostream.ingest.live.TlsSettings;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioChunk;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import io.emostream.schema.SpeakerRole;
import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recording server driven by SIPp, a real SIP client, with RTP from a small sender SIPp starts: the calls'
 * audio is read back from a real (embedded) Kafka broker.
 */
@Timeout(120)
class SiprecServerTest {
    private static final Path CALL = Path.of(System.getProperty("emostream.fixtures"), "call-stereo-8k-mulaw.wav");
    private static final String TOPIC = "siprec";
    /** The session_id of two-party.xml, which each test replaces with one of its own: a call id streams once. */
    private static final String SESSION_ID = "0SWFFAfUQcO0gu1MOO5SrA==";
    private static final int SAMPLES_PER_PACKET = 160;
    private static EmbeddedKafka kafka;
    private static ChunkPublisher publisher;
    private static SiprecServer server;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.builder().start();
        publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), TOPIC));
        server = SiprecServer.start(SiprecSettings.defaults(0).withRtpPorts(new RtpPortRange(41000, 41099))
                        .withAgentRule(AgentRule.parse("@agents\\.example\\.com")),
                new LiveCalls(publisher, LiveLimits.defaults().withIdleTimeout(Duration.ofSeconds(3))));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        publisher.close();
        kafka.close();
    }

    @Test
    void aRecordedCallArrivesBitExactWithRolesFromTheMetadataAndItsUpdate() throws Exception {
        String callId = "d1258514-07d4-41c3-b482-ed4c38ee52ac";
        Path scenario = session(callId, "0 8", "a=rtpmap:0 PCMU/8000\na=rtpmap:8 PCMA/8000", sender(CALL, 0, 10, ""),
                1200, 2500);

        Sipp sipp = sipp(scenario, "t1");

        assertThat(sipp.exitCode).as(sipp.log).isZero();
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, callId);
        byte[] agent = whole(WavFiles.channelBytes(CALL, 0), 1);
        byte[] customer = whole(WavFiles.channelBytes(CALL, 1), 1);
        assertThat(content.audio(callId, 0)).isEqualTo(agent);
        assertThat(content.audio(callId, 1)).isEqualTo(customer);
        List<AudioChunk> agentChunks = content.stream(callId, 0);
        List<AudioChunk> customerChunks = content.stream(callId, 1);
        assertThat(agentChunks).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.AGENT);
        assertThat(customerChunks).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.CUSTOMER);
        assertThat(agentChunks.get(agentChunks.size() - 1).getEndOfStream()).isTrue();
        assertThat(customerChunks.get(customerChunks.size() - 1).getEndOfStream()).isTrue();
        assertThat(String.valueOf(agentChunks.get(0).getSpeaker())).isEqualTo("Bob Agent");
        assertThat(String.valueOf(customerChunks.get(0).getSpeaker())).isEqualTo("Alice Caller");
        // The UPDATE came in the middle of the call: the agent's stream is Carol's from then on.
        assertThat(String.valueOf(agentChunks.get(agentChunks.size() - 1).getSpeaker())).isEqualTo("Carol Agent");
        assertThat(String.valueOf(customerChunks.get(customerChunks.size() - 1).getSpeaker())).isEqualTo("Alice Caller");
        Map<String, String> first = metadata(agentChunks.get(0));
        assertThat(first).containsEntry("siprec.participant.0.aor", "sip:2001@agents.example.com")
                .containsEntry("siprec.participant.1.aor", "sip:+15551230001@carrier.example.net")
                .containsEntry("siprec.channel.0.aor", "sip:2001@agents.example.com")
                .containsEntry("siprec.channel.1.aor", "sip:+15551230001@carrier.example.net")
                .containsEntry("siprec.sessionId", sessionId(callId))
                .containsKeys("siprec.callId", "siprec.from", "siprec.to");
        assertThat(metadata(agentChunks.get(agentChunks.size() - 1)))
                .containsEntry("siprec.channel.0.aor", "sip:2002@agents.example.com")
                .containsEntry("siprec.participant.2.name", "Carol Agent");
        assertThat(agentChunks.get(0).getSource().toString()).startsWith("siprec:127.0.0.1:");
        assertThat(agentChunks.get(0).getSampleRate()).isEqualTo(8000);
        assertThat(server.activeSessions()).isZero();
    }

    @Test
    void lostAndReorderedL16PacketsOverUdpAreGapsAndPutBackInOrder() throws Exception {
        short[] interleaved = new short[2 * 16000 * 2];
        short[] tone = WavFiles.tone(16000, 2.0);
        for (int i = 0; i < tone.length; i++) {
            interleaved[2 * i] = tone[i];
            interleaved[2 * i + 1] = (short) (i * 37);
        }
        Path wav = WavFiles.writePcm16(temp.resolve("l16.wav"), 16000, 2, interleaved);
        String callId = "5a0e8f62-3c1d-4b7a-9e2f-0c6d8b1a4e37";
        // Packet 10 of channel 0 never arrives; packet 20 of channel 1 arrives after packet 21.
        // The metadata change comes in a re-INVITE that offers the same streams again.
        Path scenario = session(callId, "reinvite.part", "96", "a=rtpmap:96 L16/16000",
                sender(wav, 96, 10, "--drop 0:10 --swap 1:20"), 500, 1500);

        Sipp sipp = sipp(scenario, "u1");

        assertThat(sipp.exitCode).as(sipp.log).isZero();
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, callId);
        byte[] first = WavFiles.channelBytes(wav, 0);
        int packetBytes = SAMPLES_PER_PACKET * 2 * 2;
        byte[] withoutPacket10 = new byte[first.length - packetBytes];
        System.arraycopy(first, 0, withoutPacket10, 0, 10 * packetBytes);
        System.arraycopy(first, 11 * packetBytes, withoutPacket10, 10 * packetBytes, first.length - 11 * packetBytes);
        assertThat(content.audio(callId, 0)).isEqualTo(withoutPacket10);
        assertThat(content.audio(callId, 1)).isEqualTo(WavFiles.channelBytes(wav, 1));
        assertThat(gapSamples(content.stream(callId, 0))).as("the lost packet's 320 samples").isEqualTo(320);
        assertThat(gapSamples(content.stream(callId, 1))).isZero();
        assertThat(content.stream(callId, 0)).extracting(AudioChunk::getSampleRate).containsOnly(16000);
        assertThat(content.stream(callId, 0)).extracting(c -> c.getEncoding().name()).containsOnly("PCM_S16LE");
        assertThat(String.valueOf(content.stream(callId, 0).get(content.stream(callId, 0).size() - 1).getSpeaker()))
                .isEqualTo("Carol Agent");
        // Both answers, to the INVITE and to the re-INVITE, name the same two ports (the offers name 49170 and 49172).
        List<String> answered = Pattern.compile("m=audio (\\d+) RTP/AVP 96\r?\na=rtpmap").matcher(sipp.log).results()
                .map(m -> m.group(1)).filter(port -> !port.startsWith("4917")).toList();
        assertThat(answered).hasSizeGreaterThanOrEqualTo(4);
        assertThat(Set.copyOf(answered)).hasSize(2);
    }

    @Test
    void anInviteWithoutRequireSiprecIsRefusedAsNotARecordingSession() throws Exception {
        Path scenario = refusedInvite("      Subject: a plain call", "", "application/sdp", "v=0\nm=audio 49170 RTP/AVP 0\na=sendonly\n", 488);

        Sipp sipp = sipp(scenario, "t1");

        assertThat(sipp.exitCode).as(sipp.log).isZero();
        assertThat(sipp.log).contains("SIP/2.0 488 Not a SIPREC recording session",
                "emostream is a SIPREC recording server (RFC 7866): it takes INVITEs with Require: siprec only");
    }

    @Test
    void malformedMetadataIsRefusedWith400AndTheReason() throws Exception {
        String body = "--b1\nContent-Type: application/sdp\n\nv=0\nm=audio 49170 RTP/AVP 0\na=label:1\na=sendonly\n\n"
                + "--b1\nContent-Type: application/rs-metadata+xml\n\n<recording><participant></recording>\n--b1--\n";
        Path scenario = refusedInvite("      Require: siprec", ";+sip.src", "multipart/mixed;boundary=b1", body, 400);

        Sipp sipp = sipp(scenario, "u1");

        assertThat(sipp.exitCode).as(sipp.log).isZero();
        assertThat(sipp.log).contains("SIP/2.0 400 Malformed recording metadata",
                "the recording metadata is not well-formed XML");
        assertThat(server.activeSessions()).isZero();
    }

    @Test
    void anOfferWithoutACodecWeTakeIsRefusedWithWarning305() throws Exception {
        Path scenario = refusedInvite("      Require: siprec", "", "application/sdp",
                "v=0\nm=audio 49170 RTP/AVP 18\na=rtpmap:18 G729/8000\na=label:1\na=sendonly\n", 488);

        Sipp sipp = sipp(scenario, "t1");

        assertThat(sipp.exitCode).as(sipp.log).isZero();
        assertThat(sipp.log).contains("Warning: 305 127.0.0.1 \"emostream records sendonly RTP audio in PCMU, PCMA or L16");
    }

    @Test
    void optionsIsAnsweredWithWhatTheServerTakes() throws Exception {
        Sipp sipp = sipp(Files.writeString(temp.resolve("options.xml"), resource("options.xml")), "u1");

        assertThat(sipp.exitCode).as(sipp.log).isZero();
        assertThat(sipp.log).contains("Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE", "Accept: application/sdp",
                "Supported: siprec");
    }

    @Test
    void aSessionWithoutRtpEndsAfterTheIdleTimeoutWithOurByeAndEndOfStreamOnEveryChannel() throws Exception {
        String callId = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        String scenario = resource("idle-session.xml").replace("@INVITE_METADATA@",
                resource("two-party.xml").replace(SESSION_ID, sessionId(callId)));

        Sipp sipp = sipp(Files.writeString(temp.resolve("idle.xml"), scenario), "t1");

        assertThat(sipp.exitCode).as(sipp.log).isZero();
        assertThat(sipp.log).containsPattern("Reason: SIP ?;cause=408 ?;text=\"no RTP for 3 s\"");
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, callId);
        assertThat(content.stream(callId, 0)).last().matches(AudioChunk::getEndOfStream);
        assertThat(content.stream(callId, 1)).last().matches(AudioChunk::getEndOfStream);
        assertThat(content.stream(callId, 1)).extracting(c -> c.getEncoding().name()).containsOnly("ALAW");
    }

    @Test
    void aCallOverTheLimitIsRefusedWith503AndClosingTheServerEndsItsCallsWithABye() throws Exception {
        String callId = "0f8fad5b-d9cb-469f-a165-70867728950e";
        try (ChunkPublisher own = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), "siprec-close"))) {
            SiprecServer closing = SiprecServer.start(SiprecSettings.defaults(0).withRtpPorts(new RtpPortRange(41100, 41199)),
                    new LiveCalls(own, LiveLimits.defaults().withMaxCalls(1)));
            String scenario = resource("idle-session.xml").replace("@INVITE_METADATA@",
                    resource("two-party.xml").replace(SESSION_ID, sessionId(callId)));
            Path open = Files.writeString(temp.resolve("open.xml"), scenario);
            Process first = sippProcess(open, "t1", closing.sipPort(), temp.resolve("first.log"));
            while (closing.activeSessions() == 0 && first.isAlive()) {
                Thread.sleep(20);
            }

            Path second = refusedInvite("      Require: siprec", "", "application/sdp",
                    "v=0\nm=audio 49170 RTP/AVP 0\na=label:1\na=sendonly\n", 503);
            Sipp refused = await(sippProcess(second, "u1", closing.sipPort(), temp.resolve("second.log")), temp.resolve("second.log"));
            closing.close();
            Sipp ended = await(first, temp.resolve("first.log"));

            assertThat(refused.exitCode).as(refused.log).isZero();
            assertThat(refused.log).contains("SIP/2.0 503", "its limit of 1 calls at once");
            assertThat(ended.exitCode).as(ended.log).isZero();
            assertThat(ended.log).containsPattern("Reason: SIP ?;cause=503 ?;text=\"the recording server is shutting down\"");
            own.flush();
        }
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), "siprec-close", 2, callId);
        assertThat(content.stream(callId, 0)).last().matches(AudioChunk::getEndOfStream);
        assertThat(content.stream(callId, 1)).last().matches(AudioChunk::getEndOfStream);
    }

    @Test
    void settingsThatCannotBeUsedAreOneSentence() {
        LiveCalls calls = new LiveCalls(publisher, LiveLimits.defaults());

        assertThatThrownBy(() -> SiprecServer.start(SiprecSettings.defaults(0).withHost("0.0.0.0"), calls))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("a SIPREC server on 0.0.0.0 would take recordings from anyone: name the SBCs' addresses "
                        + "with --siprec-allow (e.g. 10.0.0.5,10.1.0.0/16), or 'any' behind a firewall that does");
        assertThatThrownBy(() -> SiprecServer.start(SiprecSettings.defaults(server.sipPort())
                        .withRtpPorts(new RtpPortRange(41200, 41299)), calls))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the SIPREC server cannot listen on 127.0.0.1:" + server.sipPort() + " over ")
                .hasMessageEndingWith("; choose another SIP port or stop what holds it");
    }

    @Test
    void aCallKafkaRefusesIsEndedWithAByeThatSaysWhy() throws Exception {
        String topic = "siprec-refusing";
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "1"))))
                    .all().get();
        }
        String callId = "9c5b94b1-35ad-49bb-b118-8e8fc24abf80";
        try (ChunkPublisher refusing = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), topic))) {
            LiveCalls calls = new LiveCalls(refusing, LiveLimits.defaults());
            SiprecServer server = SiprecServer.start(SiprecSettings.defaults(0).withRtpPorts(new RtpPortRange(41400, 41419)),
                    calls);
            try {
                String scenario = resource("idle-session.xml").replace("@INVITE_METADATA@",
                        resource("two-party.xml").replace(SESSION_ID, sessionId(callId)));
                Path messages = temp.resolve("refusing.log");
                Process sipp = sippProcess(Files.writeString(temp.resolve("refusing.xml"), scenario), "t1",
                        server.sipPort(), messages);
                while (server.activeSessions() == 0 && sipp.isAlive()) {
                    Thread.sleep(20);
                }
                // A-law audio to every port of the small range: the call's two streams are among them.
                try (DatagramSocket rtp = new DatagramSocket()) {
                    for (int packet = 0; packet < 25 && sipp.isAlive(); packet++) {
                        byte[] datagram = new byte[12 + 160];
                        datagram[0] = (byte) 0x80;
                        datagram[1] = 8;
                        datagram[3] = (byte) packet;
                        datagram[7] = (byte) (packet * 160);
                        datagram[6] = (byte) (packet * 160 >> 8);
                        for (int port = 41400; port <= 41418; port += 2) {
                            rtp.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), port));
                        }
                        Thread.sleep(20);
                    }
                }
                Sipp ended = await(sipp, messages);

                assertThat(ended.exitCode).as(ended.log).isZero();
                assertThat(ended.log).containsPattern("Reason: SIP ?;cause=500 ?;text=\"emostream could not deliver this "
                        + "call's audio to Kafka");
                assertThat(calls.stats().undeliverable()).isEqualTo(1);
                assertThat(server.activeSessions()).isZero();
            } finally {
                server.close();
            }
        }
    }

    @Test
    void sipOverTlsIsAnsweredOnItsOwnPort() throws Exception {
        Path keyStore = temp.resolve("siprec.p12");
        assumeTrue(onPath("keytool"), "keytool is not on the PATH");
        Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-keystore", keyStore.toString(), "-storetype",
                "PKCS12", "-storepass", "secret", "-alias", "siprec", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-validity", "2").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).isTrue();
        SiprecServer tls = SiprecServer.start(SiprecSettings.defaults(0).withRtpPorts(new RtpPortRange(41300, 41399))
                .withTls(0, new TlsSettings(keyStore, "secret")), new LiveCalls(publisher, LiveLimits.defaults()));
        // The Debian SIPp is built without OpenSSL: the JDK's TLS client sends the SBC's OPTIONS ping instead.
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore)) {
            trusted.load(in, "secret".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", tls.tlsPort())) {
            socket.setSoTimeout(20_000);
            String local = "127.0.0.1:" + socket.getLocalPort();
            String options = "OPTIONS sip:srs@127.0.0.1:" + tls.tlsPort() + ";transport=tls SIP/2.0\r\n"
                    + "Via: SIP/2.0/TLS " + local + ";branch=z9hG4bK-tls-1\r\n"
                    + "From: <sips:src@" + local + ">;tag=1\r\nTo: <sips:srs@127.0.0.1>\r\n"
                    + "Call-ID: tls-options-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            socket.getOutputStream().write(options.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder answer = new StringBuilder();
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                answer.append(line).append('\n');
            }

            assertThat(answer.toString()).startsWith("SIP/2.0 200 OK").contains("Supported: siprec", "Call-ID: tls-options-1");
        } finally {
            tls.close();
        }
    }

    /** Samples between the end of each chunk and the start of the next: audio that never came. */
    private static long gapSamples(List<AudioChunk> chunks) {
        long gaps = 0;
        for (int i = 1; i < chunks.size(); i++) {
            AudioChunk before = chunks.get(i - 1);
            gaps += chunks.get(i).getFirstSample() - (before.getFirstSample() + before.getPayload().remaining() / 2);
        }
        return gaps;
    }

    private static String sessionId(String callId) {
        UUID uuid = UUID.fromString(callId);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array());
    }

    private static byte[] whole(byte[] channel, int bytesPerSample) {
        int packetBytes = SAMPLES_PER_PACKET * bytesPerSample;
        return Arrays.copyOf(channel, channel.length / packetBytes * packetBytes);
    }

    private static Map<String, String> metadata(AudioChunk chunk) {
        return chunk.getSourceMetadata().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> e.getKey().toString(), e -> e.getValue().toString()));
    }

    // SIPp

    private record Sipp(int exitCode, String log) {
    }

    /** Runs one call of a scenario against the server; the log holds the messages and SIPp's own output. */
    private Sipp sipp(Path scenario, String transport) throws Exception {
        Path messages = temp.resolve("messages.log");
        return await(sippProcess(scenario, transport, server.sipPort(), messages), messages);
    }

    private Process sippProcess(Path scenario, String transport, int port, Path messages) throws IOException {
        assumeTrue(onPath("sipp"), "sipp (Debian package sip-tester) is not on the PATH; bin/test installs it");
        // A port of its own for each SIPp: the SIP stack keys its TCP connections by the peer's address and port.
        return new ProcessBuilder("sipp", "-sf", scenario.toString(), "-m", "1", "-t", transport,
                "-i", "127.0.0.1", "-p", Integer.toString(freePort()), "-nostdin", "-timeout", "40", "-timeout_error", "-trace_msg",
                "-message_file", messages.toString(), "127.0.0.1:" + port)
                .directory(temp.toFile()).redirectErrorStream(true)
                .redirectOutput(Path.of(messages + ".out").toFile()).start();
    }

    private static Sipp await(Process process, Path messages) throws Exception {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        String log = (Files.exists(messages) ? Files.readString(messages) : "(no message log)") + "\n"
                + Files.readString(Path.of(messages + ".out"));
        return new Sipp(process.exitValue(), log);
    }

    /** The recording session scenario for a call whose metadata is two-party.xml with the call's own session id. */
    private Path session(String callId, String payloadTypes, String rtpmap, String sender, int updateAfterMs,
                         int byeAfterMs) throws IOException, URISyntaxException {
        return session(callId, "update.part", payloadTypes, rtpmap, sender, updateAfterMs, byeAfterMs);
    }

    /** The same with the mid-call request of {@code midCall}: update.part or reinvite.part. */
    private Path session(String callId, String midCall, String payloadTypes, String rtpmap, String sender,
                         int updateAfterMs, int byeAfterMs) throws IOException, URISyntaxException {
        String scenario = resource("recording-session.xml").replace("@MIDCALL@", resource(midCall).replaceFirst("<!--(?s).*?-->\n", ""))
                .replace("@PAYLOAD_TYPES@", payloadTypes)
                .replace("@RTPMAP@", rtpmap)
                .replace("@METADATA_TYPE@", "application/rs-metadata+xml")
                .replace("@INVITE_METADATA@", resource("two-party.xml").replace(SESSION_ID, sessionId(callId)))
                .replace("@UPDATE_METADATA@", resource("transfer-update.xml"))
                .replace("@SENDER@", sender)
                .replace("@UPDATE_AFTER_MS@", Integer.toString(updateAfterMs))
                .replace("@BYE_AFTER_MS@", Integer.toString(byeAfterMs));
        return Files.writeString(temp.resolve("scenario.xml"), scenario);
    }

    private Path refusedInvite(String headers, String contactParams, String bodyType, String body, int status)
            throws IOException, URISyntaxException {
        String scenario = resource("refused-invite.xml").replace("@HEADERS@", headers)
                .replace("@CONTACT_PARAMS@", contactParams).replace("@BODY_TYPE@", bodyType).replace("@BODY@", body)
                .replace("@STATUS@", Integer.toString(status));
        return Files.writeString(temp.resolve("refused.xml"), scenario);
    }

    private static String sender(Path wav, int payloadType, int intervalMs, String options) throws URISyntaxException {
        return "python3 " + resourcePath("rtp_sender.py") + " --wav " + wav + " --pt " + payloadType
                + " --interval-ms " + intervalMs + (options.isEmpty() ? "" : " " + options);
    }

    private static String resource(String name) throws IOException, URISyntaxException {
        return Files.readString(resourcePath(name), StandardCharsets.UTF_8);
    }

    private static Path resourcePath(String name) throws URISyntaxException {
        return Path.of(SiprecServerTest.class.getResource("/siprec/" + name).toURI());
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
