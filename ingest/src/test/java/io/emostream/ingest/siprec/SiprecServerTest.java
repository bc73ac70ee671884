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
import io.emostream.schema.SpeakerRole;
import io.emostream.testkit.SelfSignedKeyStore;
import io.emostream.testkit.SiprecClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
    private static final int SAMPLES_PER_PACKET = 160;
    private static EmbeddedKafka kafka;
    private static ChunkPublisher publisher;
    private static SiprecServer server;

    @TempDir
    Path temp;
    private SiprecClient client;

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
        Path scenario = sipp().session(callId, "update.part", "0 8", "a=rtpmap:0 PCMU/8000\na=rtpmap:8 PCMA/8000", sipp().sender(CALL, 0, 10, ""),
                1200, 2500);

        SiprecClient.Run sipp = sipp(scenario, "t1");

        assertThat(sipp.exitCode()).as(sipp.log()).isZero();
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
                .containsEntry("siprec.sessionId", SiprecClient.sessionId(callId))
                .containsKeys("siprec.callId", "siprec.from", "siprec.to");
        assertThat(metadata(agentChunks.get(agentChunks.size() - 1)))
                .containsEntry("siprec.channel.0.aor", "sip:2002@agents.example.com")
                .containsEntry("siprec.participant.2.name", "Carol Agent");
        assertThat(agentChunks.get(0).getSource().toString()).startsWith("siprec:127.0.0.1:");
        assertThat(agentChunks.get(0).getSampleRate()).isEqualTo(8000);
        assertThat(server.activeSessions()).isZero();
        // The 200 to the UPDATE names our Contact, as a 2xx to UPDATE must (RFC 3311 §5.2).
        assertThat(Arrays.stream(sipp.log().split("-{20,}")).filter(m -> m.contains("CSeq: 2 UPDATE")
                && m.contains("SIP/2.0 200"))).isNotEmpty().allMatch(m -> m.contains("Contact: <sip:emostream@127.0.0.1:"));
    }

    @Test
    void aSourceThatReBasesItsSequenceNumbersAndTimestampsMidCallKeepsItsAudioInPlace() throws Exception {
        String callId = "3b241101-e2bb-4255-8caf-4136c566a962";
        // From packet 100 on, the same SSRC goes on with sequence numbers and timestamps far behind (a re-anchor).
        ChunkTopic content = recordedBitExact(callId, "--rebase 100", "u1", 1200, 2500);

        // Sent faster than real time, the audio after the jump goes on right where the audio before it stopped.
        assertThat(gapSamples(content.stream(callId, 0), 1)).isZero();
        assertThat(gapSamples(content.stream(callId, 1), 1)).isZero();
    }

    @Test
    void packetsFromAnotherSenderToAStreamsPortAreIgnored() throws Exception {
        String callId = "6fa459ea-ee8a-4ca4-894e-db77e160355e";
        // From packet 20 on, a second socket sends noise with an SSRC of its own to both ports; the UPDATE (which
        // lets the media move) comes after the audio.
        recordedBitExact(callId, "--intruder 20", "t1", 3000, 200);
    }

    /**
     * Records the stereo fixture as two PCMU streams, the sender given {@code senderOptions}, and checks that both
     * channels arrive bit-exact (whole packets).
     */
    private ChunkTopic recordedBitExact(String callId, String senderOptions, String transport, int updateAfterMs,
                                        int byeAfterMs) throws Exception {
        Path scenario = sipp().session(callId, "update.part", "0", "a=rtpmap:0 PCMU/8000",
                sipp().sender(CALL, 0, 10, senderOptions), updateAfterMs, byeAfterMs);

        SiprecClient.Run sipp = sipp(scenario, transport);

        assertThat(sipp.exitCode()).as(sipp.log()).isZero();
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, callId);
        assertThat(content.audio(callId, 0)).isEqualTo(whole(WavFiles.channelBytes(CALL, 0), 1));
        assertThat(content.audio(callId, 1)).isEqualTo(whole(WavFiles.channelBytes(CALL, 1), 1));
        return content;
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
        Path scenario = sipp().session(callId, "reinvite.part", "96", "a=rtpmap:96 L16/16000",
                sipp().sender(wav, 96, 10, "--drop 0:10 --swap 1:20"), 500, 1500);

        SiprecClient.Run sipp = sipp(scenario, "u1");

        assertThat(sipp.exitCode()).as(sipp.log()).isZero();
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), TOPIC, 2, callId);
        byte[] first = WavFiles.channelBytes(wav, 0);
        int packetBytes = SAMPLES_PER_PACKET * 2 * 2;
        byte[] withoutPacket10 = new byte[first.length - packetBytes];
        System.arraycopy(first, 0, withoutPacket10, 0, 10 * packetBytes);
        System.arraycopy(first, 11 * packetBytes, withoutPacket10, 10 * packetBytes, first.length - 11 * packetBytes);
        assertThat(content.audio(callId, 0)).isEqualTo(withoutPacket10);
        assertThat(content.audio(callId, 1)).isEqualTo(WavFiles.channelBytes(wav, 1));
        assertThat(gapSamples(content.stream(callId, 0), 2)).as("the lost packet's 320 samples").isEqualTo(320);
        assertThat(gapSamples(content.stream(callId, 1), 2)).isZero();
        assertThat(content.stream(callId, 0)).extracting(AudioChunk::getSampleRate).containsOnly(16000);
        assertThat(content.stream(callId, 0)).extracting(c -> c.getEncoding().name()).containsOnly("PCM_S16LE");
        assertThat(String.valueOf(content.stream(callId, 0).get(content.stream(callId, 0).size() - 1).getSpeaker()))
                .isEqualTo("Carol Agent");
        // Both answers, to the INVITE and to the re-INVITE, name the same two ports (the offers name 49170 and 49172).
        List<String> answered = Pattern.compile("m=audio (\\d+) RTP/AVP 96\r?\na=rtpmap").matcher(sipp.log()).results()
                .map(m -> m.group(1)).filter(port -> !port.startsWith("4917")).toList();
        assertThat(answered).hasSizeGreaterThanOrEqualTo(4);
        assertThat(Set.copyOf(answered)).hasSize(2);
    }

    @Test
    void anInviteWithoutRequireSiprecIsRefusedAsNotARecordingSession() throws Exception {
        Path scenario = sipp().refusedInvite("      Subject: a plain call", "", "application/sdp", "v=0\nm=audio 49170 RTP/AVP 0\na=sendonly\n", 488);

        SiprecClient.Run sipp = sipp(scenario, "t1");

        assertThat(sipp.exitCode()).as(sipp.log()).isZero();
        assertThat(sipp.log()).contains("SIP/2.0 488 Not a SIPREC recording session",
                "emostream is a SIPREC recording server (RFC 7866): it takes INVITEs with Require: siprec only");
    }

    @Test
    void anInviteThatRequiresAnExtensionWeLackIsRefusedWith420NamingIt() throws Exception {
        Path scenario = sipp().refusedInvite("      Require: siprec, 100rel", ";+sip.src", "application/sdp",
                "v=0\nm=audio 49170 RTP/AVP 0\na=label:1\na=sendonly\n", 420);

        SiprecClient.Run sipp = sipp(scenario, "u1");

        assertThat(sipp.exitCode()).as(sipp.log()).isZero();
        assertThat(sipp.log()).contains("SIP/2.0 420 Bad Extension", "Unsupported: 100rel");
        assertThat(server.activeSessions()).isZero();
    }

    @Test
    void aCancelThatMatchesNoInviteIsAnswered481() throws Exception {
        SiprecClient.Run sipp = sipp(sipp().write("cancel-call.xml", sipp().resource("stray-cancel.xml")), "u1");

        assertThat(sipp.exitCode()).as(sipp.log()).isZero();
    }

    @Test
    void aCallHeldLongerThanTenIdleTimeoutsIsEndedWithOurBye() throws Exception {
        String callId = "a8098c1a-f86e-41d6-9c7b-3c6d5b3b6a11";
        try (ChunkPublisher own = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), "siprec-hold"))) {
            SiprecServer holding = SiprecServer.start(SiprecSettings.defaults(0).withRtpPorts(new RtpPortRange(41500, 41599)),
                    new LiveCalls(own, LiveLimits.defaults().withIdleTimeout(Duration.ofMillis(300))));
            try {
                assumeTrue(SiprecClient.sippInstalled(), "sipp (Debian package sip-tester) is not on the PATH; bin/test installs it");
                SiprecClient.Run sipp = sipp().run(sipp().heldSession("held.xml", callId), "t1", holding.sipPort());

                assertThat(sipp.exitCode()).as(sipp.log()).isZero();
                // Not "no RTP for 0 s": the hold kept the call past its 300 ms idle timeout, until 10 of them.
                assertThat(sipp.log()).containsPattern("Reason: SIP ?;cause=408 ?;text=\"on hold for 3 s\"");
                assertThat(holding.activeSessions()).isZero();
            } finally {
                holding.close();
            }
        }
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), "siprec-hold", 2, callId);
        assertThat(content.stream(callId, 0)).last().matches(AudioChunk::getEndOfStream);
    }

    @Test
    void malformedMetadataIsRefusedWith400AndTheReason() throws Exception {
        String body = "--b1\nContent-Type: application/sdp\n\nv=0\nm=audio 49170 RTP/AVP 0\na=label:1\na=sendonly\n\n"
                + "--b1\nContent-Type: application/rs-metadata+xml\n\n<recording><participant></recording>\n--b1--\n";
        Path scenario = sipp().refusedInvite("      Require: siprec", ";+sip.src", "multipart/mixed;boundary=b1", body, 400);

        SiprecClient.Run sipp = sipp(scenario, "u1");

        assertThat(sipp.exitCode()).as(sipp.log()).isZero();
        assertThat(sipp.log()).contains("SIP/2.0 400 Malformed recording metadata",
                "the recording metadata is not well-formed XML");
        assertThat(server.activeSessions()).isZero();
    }

    @Test
    void anOfferWithoutACodecWeTakeIsRefusedWithWarning305() throws Exception {
        Path scenario = sipp().refusedInvite("      Require: siprec", "", "application/sdp",
                "v=0\nm=audio 49170 RTP/AVP 18\na=rtpmap:18 G729/8000\na=label:1\na=sendonly\n", 488);

        SiprecClient.Run sipp = sipp(scenario, "t1");

        assertThat(sipp.exitCode()).as(sipp.log()).isZero();
        assertThat(sipp.log()).contains("Warning: 305 127.0.0.1 \"emostream records sendonly RTP audio in PCMU, PCMA or L16");
    }

    @Test
    void optionsIsAnsweredWithWhatTheServerTakes() throws Exception {
        SiprecClient.Run sipp = sipp(sipp().write("options-call.xml", sipp().resource("options.xml")), "u1");

        assertThat(sipp.exitCode()).as(sipp.log()).isZero();
        assertThat(sipp.log()).contains("Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE", "Accept: application/sdp",
                "Supported: siprec");
    }

    @Test
    void aSessionWithoutRtpEndsAfterTheIdleTimeoutWithOurByeAndEndOfStreamOnEveryChannel() throws Exception {
        String callId = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        SiprecClient.Run sipp = sipp(sipp().idleSession("idle.xml", callId), "t1");

        assertThat(sipp.exitCode()).as(sipp.log()).isZero();
        assertThat(sipp.log()).containsPattern("Reason: SIP ?;cause=408 ?;text=\"no RTP for 3 s\"");
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
            assumeTrue(SiprecClient.sippInstalled(), "sipp (Debian package sip-tester) is not on the PATH; bin/test installs it");
            Path open = sipp().idleSession("open.xml", callId);
            Process first = sipp().start(open, "t1", closing.sipPort(), temp.resolve("first.log"));
            while (closing.activeSessions() == 0 && first.isAlive()) {
                Thread.sleep(20);
            }

            Path second = sipp().refusedInvite("      Require: siprec", "", "application/sdp",
                    "v=0\nm=audio 49170 RTP/AVP 0\na=label:1\na=sendonly\n", 503);
            SiprecClient.Run refused = SiprecClient.await(sipp().start(second, "u1", closing.sipPort(), temp.resolve("second.log")),
                    temp.resolve("second.log"));
            closing.close();
            SiprecClient.Run ended = SiprecClient.await(first, temp.resolve("first.log"));

            assertThat(refused.exitCode()).as(refused.log()).isZero();
            assertThat(refused.log()).contains("SIP/2.0 503", "its limit of 1 calls at once");
            assertThat(ended.exitCode()).as(ended.log()).isZero();
            assertThat(ended.log()).containsPattern("Reason: SIP ?;cause=503 ?;text=\"the recording server is shutting down\"");
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
                assumeTrue(SiprecClient.sippInstalled(), "sipp (Debian package sip-tester) is not on the PATH; bin/test installs it");
                Path messages = temp.resolve("refusing.log");
                Process sipp = sipp().start(sipp().idleSession("refusing.xml", callId), "t1", server.sipPort(), messages);
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
                SiprecClient.Run ended = SiprecClient.await(sipp, messages);

                assertThat(ended.exitCode()).as(ended.log()).isZero();
                assertThat(ended.log()).containsPattern("Reason: SIP ?;cause=500 ?;text=\"emostream could not deliver this "
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
        
        SelfSignedKeyStore.create(keyStore, "secret");
        SiprecServer tls = SiprecServer.start(SiprecSettings.defaults(0).withRtpPorts(new RtpPortRange(41300, 41399))
                .withTls(0, new TlsSettings(keyStore, "secret")), new LiveCalls(publisher, LiveLimits.defaults()));
        // The Debian SIPp is built without OpenSSL: the JDK's TLS client sends the SBC's OPTIONS ping instead.
        SSLContext context = SelfSignedKeyStore.trusting(keyStore, "secret");
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
    private static long gapSamples(List<AudioChunk> chunks, int bytesPerSample) {
        long gaps = 0;
        for (int i = 1; i < chunks.size(); i++) {
            AudioChunk before = chunks.get(i - 1);
            gaps += chunks.get(i).getFirstSample()
                    - (before.getFirstSample() + before.getPayload().remaining() / bytesPerSample);
        }
        return gaps;
    }

    private static byte[] whole(byte[] channel, int bytesPerSample) {
        int packetBytes = SAMPLES_PER_PACKET * bytesPerSample;
        return Arrays.copyOf(channel, channel.length / packetBytes * packetBytes);
    }

    private static Map<String, String> metadata(AudioChunk chunk) {
        return chunk.getSourceMetadata().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> e.getKey().toString(), e -> e.getValue().toString()));
    }

    /** Runs one call of a scenario against the server, skipping the test where SIPp is not installed. */
    private SiprecClient.Run sipp(Path scenario, String transport) throws Exception {
        assumeTrue(SiprecClient.sippInstalled(), "sipp (Debian package sip-tester) is not on the PATH; bin/test installs it");
        return sipp().run(scenario, transport, server.sipPort());
    }

    private SiprecClient sipp() {
        if (client == null) {
            client = new SiprecClient(temp);
        }
        return client;
    }
}
