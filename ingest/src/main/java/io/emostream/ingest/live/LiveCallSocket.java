package io.emostream.ingest.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.kafka.CallDelivery;
import io.emostream.ingest.kafka.ChunkPublisher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live call on one WebSocket connection: a start message, binary audio, then an end message or a close.
 * However the connection ends, the audio received so far is published and every channel is marked
 * end-of-stream, so nothing is lost and no stream is left open downstream. Handlers are synchronized: Jetty
 * calls them one at a time for a connection, except that a close or an error (an idle timeout, say) may arrive
 * while audio is being handled. Public only because Jetty binds its handler methods through a public lookup.
 */
public final class LiveCallSocket implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCallSocket.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum State { AWAITING_START, STREAMING, ENDED }

    private final ChunkPublisher publisher;
    private final int chunkMs;
    private final LiveCalls live;
    private final CallRegistry calls;
    private final String clientAddress;
    private Session session;
    private State state = State.AWAITING_START;
    private CallChunker chunker;
    private CallDelivery delivery;
    private byte[] frameBuffer = new byte[0];

    LiveCallSocket(LiveCalls live, String clientAddress) {
        this.publisher = live.publisher();
        this.chunkMs = live.limits().chunkMs();
        this.live = live;
        this.calls = live.registry();
        this.clientAddress = clientAddress;
    }

    @Override
    public synchronized void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public synchronized void onWebSocketText(String message) {
        switch (state) {
            case AWAITING_START -> start(message);
            case STREAMING -> {
                if (isEndMessage(message)) {
                    end();
                } else {
                    refuse(StatusCode.BAD_DATA, "after the start message only binary audio and {\"type\":\"end\"} are accepted");
                }
            }
            case ENDED -> refuse(StatusCode.POLICY_VIOLATION, "the call has already ended");
        }
    }

    @Override
    public synchronized void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        // Jetty may reuse the payload's buffer once the callback completes, so it is copied out first.
        int length = payload.remaining();
        if (frameBuffer.length < length) {
            frameBuffer = new byte[length];
        }
        payload.get(frameBuffer, 0, length);
        callback.succeed();
        switch (state) {
            case AWAITING_START -> refuse(StatusCode.POLICY_VIOLATION, "audio arrived before the start message");
            case ENDED -> refuse(StatusCode.POLICY_VIOLATION, "audio arrived after the call ended");
            case STREAMING -> publisher.sendAll(chunker.appendInterleaved(frameBuffer, 0, length), delivery);
        }
    }

    @Override
    public synchronized void onWebSocketClose(int statusCode, String reason) {
        finishCall();
    }

    @Override
    public synchronized void onWebSocketError(Throwable cause) {
        LOG.warn("Live call {} from {} failed: {}", chunker == null ? "(not started)" : chunker.format().callId(),
                clientAddress, cause.getMessage());
        finishCall();
    }

    private void start(String message) {
        CallFormat format;
        try {
            format = StartMessage.parse(message, clientAddress);
        } catch (InvalidInputException e) {
            refuse(StatusCode.POLICY_VIOLATION, e.getMessage());
            return;
        }
        String refusal = live.register(format.callId());
        if (refusal != null) {
            refuse(StatusCode.POLICY_VIOLATION, refusal);
            return;
        }
        chunker = new CallChunker(format, CallChunker.samplesPerChunk(format.sampleRate(), chunkMs), System.currentTimeMillis());
        delivery = new CallDelivery(format.callId());
        state = State.STREAMING;
        LOG.info("Live call {} started from {}: {} ch, {} Hz {}", format.callId(), clientAddress, format.channels(),
                format.sampleRate(), format.encoding().name().toLowerCase(Locale.ROOT));
        ObjectNode started = JSON.createObjectNode().put("type", "started").put("callId", format.callId());
        session.sendText(started.toString(), Callback.NOOP);
    }

    /** Replies once Kafka has answered for every chunk of this call (not of other calls), then closes. */
    private void end() {
        int dropped = chunker.danglingBytes();
        finishCall();
        Session endedSession = session;
        String callId = chunker.format().callId();
        double seconds = (double) chunker.samplesPerChannel() / chunker.format().sampleRate();
        long chunks = chunker.chunksEmitted();
        delivery.settled().thenAccept(settled -> {
            ObjectNode ended = JSON.createObjectNode().put("type", "ended").put("callId", callId).put("chunks", chunks)
                    .put("seconds", Math.round(seconds * 1000) / 1000.0).put("deliveredChunks", settled.delivered())
                    .put("failedChunks", settled.failed()).put("droppedBytes", dropped);
            endedSession.sendText(ended.toString(), Callback.from(
                    () -> endedSession.close(StatusCode.NORMAL, "call ended", Callback.NOOP),
                    failure -> endedSession.close(StatusCode.NORMAL, "call ended", Callback.NOOP)));
        });
    }

    private void finishCall() {
        if (state != State.STREAMING) {
            state = State.ENDED;
            return;
        }
        state = State.ENDED;
        if (chunker.danglingBytes() > 0) {
            LOG.warn("Live call {} ended inside a sample frame; its last {} bytes were dropped", chunker.format().callId(),
                    chunker.danglingBytes());
        }
        publisher.sendAll(chunker.finish(), delivery);
        delivery.seal();
        calls.end(chunker.format().callId());
        LOG.info("Live call {} ended: {} chunks, {} samples per channel", chunker.format().callId(),
                chunker.chunksEmitted(), chunker.samplesPerChannel());
    }

    private void refuse(int statusCode, String reason) {
        finishCall();
        // A close reason must fit in a control frame (123 bytes).
        String shortReason = reason.length() > 120 ? reason.substring(0, 117) + "..." : reason;
        session.close(statusCode, shortReason, Callback.NOOP);
    }

    private static boolean isEndMessage(String message) {
        try {
            JsonNode json = JSON.readTree(message);
            return json != null && "end".equals(json.path("type").asText());
        } catch (IOException e) {
            return false;
        }
    }
}
