package io.emostream.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * SIPp as a SIPREC session recording client, the way an SBC records a call to a recording server: the scenarios
 * (a recording session with metadata, its mid-call update, a hold, refused INVITEs, OPTIONS, a stray CANCEL) and
 * the RTP sender SIPp starts with the ports from the server's answer. The files are copied into a working
 * directory, since SIPp and Python read them from disk.
 */
public final class SiprecClient {
    /** The session_id of two-party.xml, which each call replaces with one of its own: a call id streams once. */
    public static final String SESSION_ID = "0SWFFAfUQcO0gu1MOO5SrA==";
    private static final List<String> FILES = List.of("recording-session.xml", "update.part", "reinvite.part",
            "two-party.xml", "transfer-update.xml", "rtp_sender.py", "refused-invite.xml", "idle-session.xml", "hold.part", "options.xml",
            "stray-cancel.xml");

    /** One SIPp run: its exit code, and the messages it exchanged followed by its own output. */
    public record Run(int exitCode, String log) {
    }

    private final Path dir;

    /** Copies the scenarios and the sender into {@code dir}, where SIPp then runs. */
    public SiprecClient(Path dir) {
        this.dir = dir;
        for (String name : FILES) {
            try (InputStream in = SiprecClient.class.getResourceAsStream("siprec/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("siprec/" + name + " is missing from the testkit");
                }
                Files.write(dir.resolve(name), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Whether SIPp (Debian package sip-tester) is on the PATH. */
    public static boolean sippInstalled() {
        return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(path -> Files.isExecutable(Path.of(path, "sipp")));
    }

    /** A scenario file or document, as text. */
    public String resource(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metadata's session_id that makes a recording server name the call {@code callId} (a UUID). */
    public static String sessionId(String callId) {
        UUID uuid = UUID.fromString(callId);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array());
    }

    /** two-party.xml naming the call {@code callId}. */
    public String twoPartyMetadata(String callId) {
        return resource("two-party.xml").replace(SESSION_ID, sessionId(callId));
    }

    /**
     * The recording session scenario: INVITE with two labelled sendonly streams and two-party.xml, the RTP that
     * {@code sender} sends, after {@code updateAfterMs} the mid-call request {@code midCall} (update.part or
     * reinvite.part) with transfer-update.xml, then after {@code byeAfterMs} a BYE.
     */
    public Path session(String callId, String midCall, String payloadTypes, String rtpmap, String sender,
                        int updateAfterMs, int byeAfterMs) {
        String scenario = resource("recording-session.xml")
                .replace("@MIDCALL@", resource(midCall).replaceFirst("<!--(?s).*?-->\n", ""))
                .replace("@PAYLOAD_TYPES@", payloadTypes)
                .replace("@RTPMAP@", rtpmap)
                .replace("@METADATA_TYPE@", "application/rs-metadata+xml")
                .replace("@INVITE_METADATA@", twoPartyMetadata(callId))
                .replace("@UPDATE_METADATA@", resource("transfer-update.xml"))
                .replace("@SENDER@", sender)
                .replace("@UPDATE_AFTER_MS@", Integer.toString(updateAfterMs))
                .replace("@BYE_AFTER_MS@", Integer.toString(byeAfterMs));
        return write("scenario-" + callId + ".xml", scenario);
    }

    /** The idle session scenario (INVITE, no RTP, the server's BYE) for the call {@code callId}. */
    public Path idleSession(String name, String callId) {
        return write(name, resource("idle-session.xml").replace("@INVITE_METADATA@", twoPartyMetadata(callId))
                .replace("@MIDCALL@", ""));
    }

    /** The idle session scenario with both streams put on hold by a re-INVITE right after the call is set up. */
    public Path heldSession(String name, String callId) {
        return write(name, resource("idle-session.xml").replace("@INVITE_METADATA@", twoPartyMetadata(callId))
                .replace("@MIDCALL@", resource("hold.part").replaceFirst("<!--(?s).*?-->\n", "")));
    }

    /** An INVITE the server must refuse with {@code status}. */
    public Path refusedInvite(String headers, String contactParams, String bodyType, String body, int status) {
        return write("refused.xml", resource("refused-invite.xml").replace("@HEADERS@", headers)
                .replace("@CONTACT_PARAMS@", contactParams).replace("@BODY_TYPE@", bodyType).replace("@BODY@", body)
                .replace("@STATUS@", Integer.toString(status)));
    }

    /** The command SIPp runs to send the WAV file's channels as RTP, one stream per answered port. */
    public String sender(Path wav, int payloadType, int intervalMs, String options) {
        return "python3 " + dir.resolve("rtp_sender.py") + " --wav " + wav + " --pt " + payloadType
                + " --interval-ms " + intervalMs + (options.isEmpty() ? "" : " " + options);
    }

    public Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts one call of the scenario against {@code 127.0.0.1:port}; the messages go to {@code messages}. */
    public Process start(Path scenario, String transport, int port, Path messages) throws IOException {
        // A port of its own for each SIPp: a SIP stack keys its TCP connections by the peer's address and port.
        return new ProcessBuilder("sipp", "-sf", scenario.toString(), "-m", "1", "-t", transport,
                "-i", "127.0.0.1", "-p", Integer.toString(freePort()), "-nostdin", "-timeout", "40", "-timeout_error",
                "-trace_msg", "-message_file", messages.toString(), "127.0.0.1:" + port)
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(Path.of(messages + ".out").toFile()).start();
    }

    /** Runs one call of the scenario and waits for SIPp to finish. */
    public Run run(Path scenario, String transport, int port) throws IOException, InterruptedException {
        Path messages = dir.resolve(scenario.getFileName() + ".log");
        return await(start(scenario, transport, port, messages), messages);
    }

    /** Waits (60 s at most) for a SIPp started with {@link #start}. */
    public static Run await(Process process, Path messages) throws IOException, InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        String log = (Files.exists(messages) ? Files.readString(messages) : "(no message log)") + "\n"
                + Files.readString(Path.of(messages + ".out"));
        return new Run(process.exitValue(), log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
