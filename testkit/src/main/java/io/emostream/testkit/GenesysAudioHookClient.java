package io.emostream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Plays Genesys Cloud's side of AudioHook as its protocol documentation describes it: a signed connection request,
 * then open, audio, ping, pause/resume, close, with seq and serverseq counted. Written apart from the server's code.
 */
public final class GenesysAudioHookClient implements WebSocket.Listener {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String ORGANIZATION = "d7934305-0972-4844-938e-9060eef73d05";
    public static final String PATH = "/audiohook";

    private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final String sessionId = UUID.randomUUID().toString();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;
    private long seq;
    private long serverSeq;
    private double positionS;

    /** The headers Genesys sends, signed with {@code secret} (base64) over the documented components. */
    public static Map<String, String> signedHeaders(String host, String target, String apiKey, String secret, String sessionId,
                                             long createdS, String nonce) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Audiohook-Organization-Id", ORGANIZATION);
        headers.put("Audiohook-Session-Id", sessionId);
        headers.put("Audiohook-Correlation-Id", UUID.randomUUID().toString());
        headers.put("X-API-KEY", apiKey);
        String params = "(\"@request-target\" \"@authority\" \"audiohook-organization-id\" \"audiohook-session-id\""
                + " \"audiohook-correlation-id\" \"x-api-key\");keyid=\"" + apiKey + "\";nonce=\"" + nonce
                + "\";alg=\"hmac-sha256\";created=" + createdS + ";expires=" + (createdS + 300);
        String base = "\"@request-target\": " + target + "\n"
                + "\"@authority\": " + host + "\n"
                + "\"audiohook-organization-id\": " + headers.get("Audiohook-Organization-Id") + "\n"
                + "\"audiohook-session-id\": " + sessionId + "\n"
                + "\"audiohook-correlation-id\": " + headers.get("Audiohook-Correlation-Id") + "\n"
                + "\"x-api-key\": " + apiKey + "\n"
                + "\"@signature-params\": " + params;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        headers.put("Signature-Input", "sig1=" + params);
        headers.put("Signature", "sig1=:" + signature + ":");
        return headers;
    }

    /** Connects with these headers; fails with the server's HTTP status when the upgrade is refused. */
    public CompletableFuture<WebSocket> connect(int port, Map<String, String> headers) {
        return connect(URI.create("ws://127.0.0.1:" + port + PATH), HttpClient.newHttpClient(), headers);
    }

    /** Connects to {@code uri} (e.g. {@code wss://…/audiohook}) through {@code http}, which holds any TLS trust. */
    public CompletableFuture<WebSocket> connect(URI uri, HttpClient http, Map<String, String> headers) {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        headers.forEach(builder::header);
        return builder.buildAsync(uri, this).thenApply(socket -> ws = socket);
    }

    public void send(String type, ObjectNode parameters) {
        ObjectNode message = JSON.createObjectNode().put("version", "2").put("id", sessionId).put("type", type)
                .put("seq", ++seq).put("serverseq", serverSeq).put("position", String.format(java.util.Locale.ROOT,
                        "PT%.3fS", positionS));
        message.set("parameters", parameters);
        ws.sendText(message.toString(), true).join();
    }

    /** Sends a message with a seq that skips one. */
    public void sendWithSeqGap(String type) {
        seq++;
        send(type, JSON.createObjectNode());
    }

    public void open(String conversationId, String mediaJson) throws Exception {
        ObjectNode parameters = JSON.createObjectNode().put("organizationId", ORGANIZATION)
                .put("conversationId", conversationId).put("language", "en-US");
        parameters.putObject("participant").put("id", UUID.randomUUID().toString()).put("ani", "+14155550123")
                .put("aniName", "Pat Caller").put("dnis", "+18005550199");
        parameters.set("media", JSON.readTree(mediaJson));
        send("open", parameters);
    }

    public void audio(byte[] interleaved, int offset, int length, int channels, int bytesPerSample) {
        ws.sendBinary(ByteBuffer.wrap(interleaved, offset, length), true).join();
        positionS += (double) length / (channels * bytesPerSample) / 8000;
    }

    public void dropConnection() {
        ws.abort();
    }

    /** The next message from the server, whatever its type; fails after 20 s. */
    public JsonNode next() throws InterruptedException {
        JsonNode message = received.poll(20, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message from the server within 20 s");
        }
        serverSeq = message.path("seq").asLong();
        return message;
    }

    /** The next message of this type from the server; fails after 20 s. */
    public JsonNode expect(String type) throws InterruptedException {
        while (true) {
            JsonNode message = received.poll(20, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no '" + type + "' message from the server within 20 s");
            }
            serverSeq = message.path("seq").asLong();
            if (message.path("type").asText().equals(type)) {
                return message;
            }
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                received.add(JSON.createObjectNode().put("type", "unparseable").put("text", partial.toString()));
            }
            partial.setLength(0);
        }
        socket.request(1);
        return null;
    }

    public String sessionId() {
        return sessionId;
    }
}
