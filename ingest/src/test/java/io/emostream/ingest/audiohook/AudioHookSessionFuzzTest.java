package io.emostream.ingest.audiohook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.live.CallRefusedException;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveLimits;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Any text frames Genesys (or anyone) sends an AudioHook session are answered within the protocol: replies are
 * version 2 messages counted 1, 2, 3…, an {@code opened} picks one of the formats we take, and a protocol error is
 * one {@code disconnect} whose info is one sentence; never an exception or a hang. Each line of an input is one text
 * frame. There is no parser apart from the session, so the session itself is fuzzed, with the process at its limit of
 * calls: an {@code open} that would start a call is refused (answered with a disconnect) before Kafka is needed, so
 * the audio path of an open call is left to {@link AudioHookTest}. The unit tests run the seeds and past findings
 * (in {@code src/test/resources/.../AudioHookSessionFuzzTestInputs}).
 */
class AudioHookSessionFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORGANIZATION = "d7934305-0972-4844-938e-9060eef73d05";
    private static final Set<String> REPLIES = Set.of("opened", "pong", "closed", "disconnect");
    private static final LiveCalls FULL = new LiveCalls(null, LiveLimits.defaults().withMaxCalls(1));

    static {
        try {
            FULL.open(new CallFormat("the-one-call-allowed", 8000, AudioEncoding.MULAW, List.of(SpeakerRole.UNKNOWN),
                    "test"), reason -> { });
        } catch (CallRefusedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Level sessionLogLevel;

    /** Each refused frame is a warning: millions of log lines while fuzzing. */
    @BeforeAll
    static void quietSessions() {
        sessionLogLevel = LogManager.getLogger(AudioHookSession.class).getLevel();
        Configurator.setLevel(AudioHookSession.class.getName(), Level.OFF);
    }

    @AfterAll
    static void sessionsLogAgain() {
        Configurator.setLevel(AudioHookSession.class.getName(), sessionLogLevel);
    }

    @FuzzTest
    void anyTextFramesAreAnsweredWithinTheProtocol(byte[] bytes) throws Exception {
        List<String> sent = new ArrayList<>();
        AudioHookSession session = new AudioHookSession(FULL, new AudioHookSession.Transport() {
            @Override
            public void send(String text) {
                sent.add(text);
            }

            @Override
            public void close() {
            }
        }, "198.51.100.7:40123", Map.of("audiohook-organization-id", ORGANIZATION));
        for (String frame : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            session.onText(frame);
        }
        session.onClosed();
        assertThat(session.callId()).isNull();
        int disconnects = 0;
        for (int i = 0; i < sent.size(); i++) {
            JsonNode reply = JSON.readTree(sent.get(i));
            assertThat(reply.path("version").asText()).isEqualTo("2");
            assertThat(reply.path("seq").asLong()).isEqualTo(i + 1);
            assertThat(reply.path("id").isTextual()).isTrue();
            String type = reply.path("type").asText();
            assertThat(REPLIES).contains(type);
            JsonNode parameters = reply.path("parameters");
            if (type.equals("disconnect")) {
                disconnects++;
                assertThat(parameters.path("reason").asText()).isIn("error", "unauthorized");
                assertThat(parameters.path("info").asText()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
            } else if (type.equals("opened")) {
                JsonNode media = parameters.path("media").get(0);
                assertThat(media.path("format").asText()).isIn("PCMU", "L16");
                assertThat(media.path("rate").asInt()).isEqualTo(AudioHookSession.RATE);
                assertThat(media.path("channels").size()).isBetween(1, 2);
                media.path("channels").forEach(channel -> assertThat(channel.asText()).isIn("external", "internal"));
            }
        }
        assertThat(disconnects).isLessThanOrEqualTo(1);
    }
}
