package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.testkit.GenesysAudioHookClient;
import io.emostream.testkit.SiprecClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Calls from the phone platforms through the whole pipeline: `bin/emotion demo --listen --siprec` takes a call the
 * way Genesys Cloud streams it over AudioHook and one an SBC records over SIPREC (SIPp, with RTP), and both show up
 * on the dashboard with their utterances' events.
 */
@Timeout(300)
class TelephonyDemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of(System.getProperty("emostream.fixtures"));
    private static final String STEREO = "[{\"type\":\"audio\",\"format\":\"PCMU\",\"channels\":[\"external\",\"internal\"],\"rate\":8000}]";

    @Test
    void anAudioHookCallAndASiprecCallShowUpOnTheDashboardWithEvents(@TempDir Path dir) throws Exception {
        assumeTrue(SiprecClient.sippInstalled(), "sipp (Debian package sip-tester) is not on the PATH; bin/test installs it");
        int listen = freePort();
        int siprec = freePort();
        StringWriter stdout = new StringWriter();
        AtomicInteger status = new AtomicInteger(-1);
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        Thread demo = new Thread(() -> status.set(cli.execute("demo", "--port", "0", "--listen", Integer.toString(listen),
                "--siprec", Integer.toString(siprec), "--rtp-ports", "42000-42099",
                "--input", FIXTURES.resolve("podcast-mono-16k.wav").toString(), "--once")), "demo-under-test");
        demo.start();
        try {
            String dashboard = awaitDashboard(stdout, demo);
            assertThat(stdout.toString()).contains("ws://127.0.0.1:" + listen + "/audiohook (Genesys AudioHook",
                    "sip:127.0.0.1:" + siprec + " (SIPREC recording server");
            String conversation = UUID.randomUUID().toString();

            GenesysAudioHookClient genesys = new GenesysAudioHookClient();
            genesys.connect(listen, Map.of()).join();
            genesys.open(conversation, STEREO);
            genesys.expect("opened");
            byte[] audio = stereoMulaw(FIXTURES.resolve("call-stereo-8k-mulaw.wav"));
            for (int offset = 0; offset < audio.length; offset += 320) {
                genesys.audio(audio, offset, Math.min(320, audio.length - offset), 2, 1);
            }
            genesys.send("close", GenesysAudioHookClient.JSON.createObjectNode().put("reason", "end"));
            genesys.expect("closed");

            JsonNode call = awaitEvents(dashboard, conversation);
            List<String> roles = new ArrayList<>();
            call.path("events").forEach(event -> roles.add(event.path("role").asText()));
            assertThat(roles).isNotEmpty().allMatch(role -> role.equals("CUSTOMER") || role.equals("AGENT"));
            call.path("events").forEach(event -> assertThat(event.path("source").asText()).startsWith("audiohook:127.0.0.1:"));

            String recorded = UUID.randomUUID().toString();
            SiprecClient sbc = new SiprecClient(dir);
            Path session = sbc.session(recorded, "update.part", "0", "a=rtpmap:0 PCMU/8000",
                    sbc.sender(FIXTURES.resolve("call-stereo-8k-mulaw.wav"), 0, 20, ""), 1000, 4000);
            SiprecClient.Run sipp = sbc.run(session, "t1", siprec);
            assertThat(sipp.exitCode()).as(sipp.log()).isZero();
            JsonNode recordedCall = awaitEvents(dashboard, recorded);
            recordedCall.path("events").forEach(event -> {
                assertThat(event.path("source").asText()).startsWith("siprec:127.0.0.1:");
                assertThat(event.path("role").asText()).isIn("AGENT", "CUSTOMER");
            });
        } finally {
            demo.interrupt();
            demo.join(Duration.ofSeconds(90).toMillis());
        }
        assertThat(demo.isAlive()).as("the demo stops when told to").isFalse();
        assertThat(status.get()).isZero();
    }

    /** The fixture's two channels, external (the customer, channel 1 of the file) first, as AudioHook interleaves them. */
    private static byte[] stereoMulaw(Path wav) throws Exception {
        byte[] file = Files.readAllBytes(wav);
        int data = 0;
        for (int i = 12; i + 8 <= file.length; ) {
            String id = new String(file, i, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int size = (file[i + 4] & 0xff) | (file[i + 5] & 0xff) << 8 | (file[i + 6] & 0xff) << 16 | (file[i + 7] & 0xff) << 24;
            if (id.equals("data")) {
                data = i + 8;
                byte[] out = new byte[size];
                for (int s = 0; s + 1 < size; s += 2) {
                    out[s] = file[data + s + 1];
                    out[s + 1] = file[data + s];
                }
                return out;
            }
            i += 8 + size + (size & 1);
        }
        throw new AssertionError(wav + " has no data chunk");
    }

    private static JsonNode awaitEvents(String dashboard, String callId) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(dashboard + "api/calls/" + callId)).build(),
                    HttpResponse.BodyHandlers.ofString());
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonNode call = JSON.readTree(response.body());
                if (call.path("events").size() > 0) {
                    return call;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("call " + callId + " did not show up with events on the dashboard; last answer: " + last);
    }

    private static String awaitDashboard(StringWriter stdout, Thread demo) throws InterruptedException {
        Pattern dashboard = Pattern.compile("dashboard at (http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && demo.isAlive()) {
            Matcher found = dashboard.matcher(stdout.toString());
            if (found.find() && stdout.toString().contains("SIPREC recording server")) {
                String url = found.group(1);
                return url.endsWith("/") ? url : url + "/";
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the demo printed no dashboard address; it said: " + stdout);
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
