package io.emostream.ingest.audiohook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.chunk.CallIds;
import io.emostream.ingest.live.CallRefusedException;
import io.emostream.ingest.live.LiveCall;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one AudioHook Monitor session (protocol version 2), as plain Java: text messages and audio
 * frames in, messages out through a {@link Transport}. Genesys opens, the session picks one offered media format
 * (PCMU or L16, 8 kHz, the external and internal channels) and answers {@code opened}; audio frames then arrive
 * interleaved in the negotiated channel order until Genesys closes. Pauses and discarded audio leave gaps on the
 * call's timeline, as the stream's {@code position} does. A protocol error is answered with {@code disconnect}
 * (reason {@code error}), after which Genesys closes the session. Thread-safe: Kafka's answers arrive on other threads.
 */
final class AudioHookSession {
    private static final Logger LOG = LoggerFactory.getLogger(AudioHookSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PROBE_CONVERSATION = "00000000-0000-0000-0000-000000000000";
    static final int RATE = 8000;

    /** Where the session's messages go: the WebSocket. */
    interface Transport {
        void send(String text);

        void close();
    }

    private enum State { AWAITING_OPEN, PROBE, ACTIVE, PAUSED, DISCONNECTING, CLOSED }

    private final LiveCalls calls;
    private final Transport transport;
    private final String peer;
    private final Map<String, String> requestHeaders;
    private State state = State.AWAITING_OPEN;
    private volatile String sessionId;
    private volatile long clientSeq;
    /** Written only under {@link #sending}: replies also go out from Kafka's answer to a close. */
    private volatile long serverSeq;
    private final Object sending = new Object();
    private LiveCall call;
    /** Samples per channel received: the stream's position as Genesys counts it. */
    private long receivedSamples;
    /** Samples per channel paused or discarded at the source: the gaps on the call's timeline. */
    private long skippedSamples;

    /**
     * @param requestHeaders what the connection request said: {@code audiohook-organization-id},
     *                       {@code audiohook-session-id}, {@code audiohook-correlation-id} (absent ones are omitted)
     */
    AudioHookSession(LiveCalls calls, Transport transport, String peer, Map<String, String> requestHeaders) {
        this.calls = calls;
        this.transport = transport;
        this.peer = peer;
        this.requestHeaders = requestHeaders;
    }

    synchronized void onText(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            protocolError("message is not valid JSON");
            return;
        }
        if (message == null || !message.isObject() || !message.path("type").isTextual() || !message.path("id").isTextual()
                || !message.path("seq").canConvertToLong()) {
            protocolError("message is not a well-formed AudioHook client message (version, id, type, seq)");
            return;
        }
        if (!"2".equals(message.path("version").asText())) {
            protocolError("protocol version " + InvalidInputException.printable(message.path("version").asText())
                    + " is not supported; use version 2");
            return;
        }
        long seq = message.path("seq").asLong();
        long expected = clientSeq + 1;
        // Counting goes on from the client's seq, so that the close it sends after our disconnect is understood.
        clientSeq = seq;
        if (seq != expected) {
            protocolError("invalid seq " + seq + " (expected " + expected + ")");
            return;
        }
        if (message.path("serverseq").asLong(0) > serverSeq) {
            protocolError("invalid serverseq " + message.path("serverseq").asLong() + " (the server has sent " + serverSeq + ")");
            return;
        }
        String id = message.path("id").asText();
        if (sessionId == null) {
            sessionId = id;
        } else if (!sessionId.equals(id)) {
            protocolError("session id mismatch");
            return;
        }
        JsonNode parameters = message.path("parameters");
        switch (message.path("type").asText()) {
            case "open" -> open(parameters);
            case "close" -> close(parameters);
            case "ping" -> reply("pong", JSON.createObjectNode());
            case "paused" -> paused();
            case "resumed" -> resumed(parameters);
            case "discarded" -> skip(parameters, "discarded");
            case "update" -> update(parameters);
            case "error" -> LOG.warn("AudioHook session {} from {} reported error {}: {}", sessionId, peer,
                    parameters.path("code").asText(), parameters.path("message").asText());
            default -> protocolError("'" + InvalidInputException.printable(message.path("type").asText())
                    + "' is not a supported client message");
        }
    }

    synchronized void onBinary(byte[] data, int offset, int length) {
        // Genesys's connection probe may send audio after opened (its reference client sends an empty frame or a
        // tone): there is no call to put it in, and no error either.
        if (state == State.DISCONNECTING || state == State.CLOSED || state == State.PROBE) {
            return;
        }
        if (state != State.ACTIVE || call == null) {
            protocolError("audio received in state " + state.name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        int frameBytes = call.format().channels() * call.format().bytesPerSample();
        if (length % frameBytes != 0) {
            protocolError("audio frame of " + length + " bytes is not a whole number of " + frameBytes + "-byte samples");
            return;
        }
        call.appendInterleaved(data, offset, length);
        receivedSamples += length / frameBytes;
    }

    /** The connection is gone, however it ended: the call's audio so far is kept and every channel ended. */
    synchronized void onClosed() {
        if (call != null && !call.isEnded()) {
            LOG.warn("AudioHook session {} (call {}) from {} dropped without a close; ending the call", sessionId,
                    call.format().callId(), peer);
        }
        endCall();
        state = State.CLOSED;
    }

    /** Kafka refused the call's audio: ask Genesys to disconnect. */
    synchronized void onUndeliverable(String reason) {
        if (state != State.CLOSED && state != State.DISCONNECTING) {
            disconnect("error", reason);
        }
    }

    synchronized String callId() {
        return call == null ? null : call.format().callId();
    }

    private void open(JsonNode parameters) {
        if (state != State.AWAITING_OPEN) {
            protocolError("'open' received twice");
            return;
        }
        String organizationId = parameters.path("organizationId").asText(null);
        String headerOrganization = requestHeaders.get("audiohook-organization-id");
        if (headerOrganization != null && !headerOrganization.equals(organizationId)) {
            disconnect("unauthorized", "organizationId does not match the Audiohook-Organization-Id header");
            return;
        }
        String conversationId = parameters.path("conversationId").asText(null);
        String problem = CallIds.problemWith(conversationId);
        if (problem != null) {
            protocolError("open: conversationId: " + problem);
            return;
        }
        ObjectNode media = selectMedia(parameters.path("media"));
        if (media == null) {
            disconnect("error", "no offered media format is supported; emostream takes PCMU or L16 at 8000 Hz"
                    + " with the external and/or internal channel");
            return;
        }
        if (conversationId.equals(PROBE_CONVERSATION)) {
            state = State.PROBE;
            LOG.info("AudioHook connection probe from {} answered", peer);
            replyOpened(media);
            return;
        }
        List<SpeakerRole> roles = new ArrayList<>();
        media.path("channels").forEach(channel -> roles.add(channel.asText().equals("external")
                ? SpeakerRole.CUSTOMER : SpeakerRole.AGENT));
        AudioEncoding encoding = media.path("format").asText().equals("PCMU") ? AudioEncoding.MULAW : AudioEncoding.PCM_S16LE;
        CallIdentity identity = new CallIdentity(List.of(), null, metadata(parameters, organizationId, conversationId));
        try {
            call = openCall(conversationId, encoding, roles, identity);
        } catch (CallRefusedException e) {
            disconnect("error", e.getMessage());
            return;
        } catch (InvalidInputException e) {
            protocolError("open: " + e.getMessage());
            return;
        }
        state = State.ACTIVE;
        LOG.info("AudioHook call {} opened from {}: {} {} Hz, channels {}", call.format().callId(), peer,
                media.path("format").asText(), RATE, media.path("channels"));
        replyOpened(media);
    }

    /**
     * The conversation's id names the call. A conversation whose earlier session has ended here (a transfer, a
     * reconnect) gets a suffix, since a call id names one stream.
     */
    private LiveCall openCall(String conversationId, AudioEncoding encoding, List<SpeakerRole> roles,
                              CallIdentity identity) throws CallRefusedException {
        String callId = conversationId;
        for (int session = 2; ; session++) {
            CallFormat format = new CallFormat(callId, RATE, encoding, roles, "audiohook:" + peer, identity);
            try {
                return calls.open(format, this::onUndeliverable);
            } catch (CallRefusedException e) {
                if (!e.alreadyEnded() || session > 99) {
                    throw e;
                }
                callId = conversationId + "-" + session;
            }
        }
    }

    private Map<String, String> metadata(JsonNode parameters, String organizationId, String conversationId) {
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode participant = parameters.path("participant");
        putText(metadata, "ani", participant.path("ani"));
        putText(metadata, "dnis", participant.path("dnis"));
        putText(metadata, "genesys.aniName", participant.path("aniName"));
        putText(metadata, "genesys.participantId", participant.path("id"));
        putText(metadata, "genesys.language", parameters.path("language"));
        metadata.put("genesys.conversationId", conversationId);
        if (organizationId != null) {
            metadata.put("genesys.organizationId", organizationId);
        }
        metadata.put("genesys.sessionId", sessionId);
        String correlation = requestHeaders.get("audiohook-correlation-id");
        if (correlation != null) {
            metadata.put("genesys.correlationId", correlation);
        }
        return metadata;
    }

    private static void putText(Map<String, String> metadata, String key, JsonNode value) {
        if (value.isTextual() && !value.asText().isEmpty()) {
            metadata.put(key, value.asText());
        }
    }

    /** The first offered format we take: audio, PCMU or L16, 8000 Hz, external and/or internal once each. */
    static ObjectNode selectMedia(JsonNode offered) {
        if (!offered.isArray()) {
            return null;
        }
        for (JsonNode media : offered) {
            String format = media.path("format").asText();
            JsonNode channels = media.path("channels");
            boolean usable = "audio".equals(media.path("type").asText())
                    && (format.equals("PCMU") || format.equals("L16"))
                    && media.path("rate").asInt() == RATE
                    && channels.isArray() && channels.size() >= 1 && channels.size() <= 2;
            List<String> names = new ArrayList<>();
            channels.forEach(channel -> names.add(channel.asText()));
            usable &= names.stream().allMatch(name -> name.equals("external") || name.equals("internal"))
                    && names.stream().distinct().count() == names.size();
            if (usable) {
                ObjectNode chosen = JSON.createObjectNode().put("type", "audio").put("format", format);
                ArrayNode chosenChannels = chosen.putArray("channels");
                names.forEach(chosenChannels::add);
                return chosen.put("rate", RATE);
            }
        }
        return null;
    }

    private void replyOpened(ObjectNode media) {
        ObjectNode parameters = JSON.createObjectNode();
        parameters.putArray("media").add(media);
        parameters.put("startPaused", false);
        reply("opened", parameters);
    }

    private void paused() {
        if (state == State.ACTIVE) {
            state = State.PAUSED;
        }
    }

    private void resumed(JsonNode parameters) {
        if (state == State.PAUSED) {
            state = State.ACTIVE;
        }
        skip(parameters, "resumed");
    }

    /** {@code start} and {@code discarded} say how much audio the client did not send: a gap on our timeline. */
    private void skip(JsonNode parameters, String type) {
        if (call == null) {
            return;
        }
        Duration discarded;
        try {
            discarded = Duration.parse(parameters.path("discarded").asText("PT0S"));
        } catch (DateTimeParseException e) {
            protocolError(type + ": discarded is not an ISO 8601 duration such as PT1.5S");
            return;
        }
        long samples = discarded.toNanos() * RATE / 1_000_000_000L;
        if (samples > 0) {
            skippedSamples += samples;
            call.skipTo(receivedSamples + skippedSamples);
        }
    }

    private void update(JsonNode parameters) {
        if (call != null && parameters.path("language").isTextual()) {
            Map<String, String> metadata = new LinkedHashMap<>(call.format().identity().metadata());
            metadata.put("genesys.language", parameters.path("language").asText());
            call.identify(call.format().identity().withMetadata(metadata));
        }
    }

    /** Genesys closes: the call ends and, once Kafka has answered for all of it, the session is closed. */
    private void close(JsonNode parameters) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (call == null) {
            reply("closed", JSON.createObjectNode());
            return;
        }
        LOG.info("AudioHook call {} closed by {} ({}): {} s of audio", call.format().callId(), peer,
                parameters.path("reason").asText("no reason"), String.format(java.util.Locale.ROOT, "%.2f",
                        (double) receivedSamples / RATE));
        call.end().whenCompleteAsync((delivery, error) -> reply("closed", JSON.createObjectNode()));
    }

    private void protocolError(String info) {
        LOG.warn("AudioHook session {} from {}: {}", sessionId, peer, info);
        disconnect("error", info);
    }

    /** Asks Genesys to end the session; the audio so far is kept and the call ended. */
    private void disconnect(String reason, String info) {
        if (state == State.DISCONNECTING || state == State.CLOSED) {
            return;
        }
        if (reason.equals("unauthorized")) {
            LOG.warn("AudioHook session {} from {} is not authorised: {}", sessionId, peer, info);
        }
        state = State.DISCONNECTING;
        endCall();
        reply("disconnect", JSON.createObjectNode().put("reason", reason).put("info", info));
    }

    private void endCall() {
        if (call != null) {
            call.end();
        }
    }

    private void reply(String type, ObjectNode parameters) {
        synchronized (sending) {
            ObjectNode message = JSON.createObjectNode().put("version", "2").put("type", type).put("seq", ++serverSeq)
                    .put("clientseq", clientSeq).put("id", sessionId == null ? PROBE_CONVERSATION : sessionId);
            message.set("parameters", parameters);
            transport.send(message.toString());
        }
    }
}
