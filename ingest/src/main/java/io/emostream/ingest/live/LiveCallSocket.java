package io.emostream.ingest.live;

import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.kafka.ChunkPublisher;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live call on one WebSocket connection: a start message, binary audio, then an end message or a close.
 * However the connection ends, the audio received so far is published and every channel is marked
 * end-of-stream, so nothing is lost and no stream is left open downstream. Jetty calls one connection's
 * handlers one at a time. Public only because Jetty binds its handler methods through a public lookup.
 */
public final class LiveCallSocket implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCallSocket.class);

    private final ChunkPublisher publisher;
    private final int chunkMs;
    private final Set<String> activeCalls;
    private final String clientAddress;
    private Session session;
    private CallChunker chunker;
    private byte[] frameBuffer = new byte[0];

    LiveCallSocket(ChunkPublisher publisher, int chunkMs, Set<String> activeCalls, String clientAddress) {
        this.publisher = publisher;
        this.chunkMs = chunkMs;
        this.activeCalls = activeCalls;
        this.clientAddress = clientAddress;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        if (chunker == null) {
            start(message);
        } else if (message.replace(" ", "").contains("\"type\":\"end\"")) {
            end();
        } else {
            refuse(StatusCode.BAD_DATA, "after the start message only binary audio and {\"type\":\"end\"} are accepted");
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        if (chunker == null) {
            callback.succeed();
            refuse(StatusCode.POLICY_VIOLATION, "audio arrived before the start message");
            return;
        }
        int length = payload.remaining();
        if (frameBuffer.length < length) {
            frameBuffer = new byte[length];
        }
        payload.get(frameBuffer, 0, length);
        publisher.sendAll(chunker.appendInterleaved(frameBuffer, 0, length));
        callback.succeed();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        finishCall();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.warn("Live call {} from {} failed: {}", chunker == null ? "(not started)" : chunker.format().callId(),
                clientAddress, cause.getMessage());
        finishCall();
    }

    private void start(String message) {
        CallFormat format;
        try {
            format = StartMessage.parse(message, clientAddress);
        } catch (IllegalArgumentException e) {
            refuse(StatusCode.POLICY_VIOLATION, e.getMessage());
            return;
        }
        if (!activeCalls.add(format.callId())) {
            refuse(StatusCode.POLICY_VIOLATION, "call " + format.callId() + " is already streaming on another connection");
            return;
        }
        chunker = new CallChunker(format, CallChunker.samplesPerChunk(format.sampleRate(), chunkMs),
                System.currentTimeMillis());
        LOG.info("Live call {} started from {}: {} ch, {} Hz {}", format.callId(), clientAddress, format.channels(),
                format.sampleRate(), format.encoding().name().toLowerCase(Locale.ROOT));
        session.sendText("{\"type\":\"started\",\"callId\":" + quote(format.callId()) + "}", Callback.NOOP);
    }

    private void end() {
        CallChunker finished = chunker;
        finishCall();
        publisher.flush();
        double seconds = (double) finished.samplesPerChannel() / finished.format().sampleRate();
        String ended = String.format(Locale.ROOT, "{\"type\":\"ended\",\"callId\":%s,\"chunks\":%d,\"seconds\":%.3f,"
                + "\"failedChunks\":%d}", quote(finished.format().callId()), finished.chunksEmitted(), seconds,
                publisher.failed());
        session.sendText(ended, Callback.from(() -> session.close(StatusCode.NORMAL, "call ended", Callback.NOOP),
                failure -> session.close(StatusCode.NORMAL, "call ended", Callback.NOOP)));
    }

    private void finishCall() {
        if (chunker == null || !activeCalls.contains(chunker.format().callId()) || chunker.isFinished()) {
            return;
        }
        publisher.sendAll(chunker.finish());
        activeCalls.remove(chunker.format().callId());
        LOG.info("Live call {} ended: {} chunks, {} samples per channel", chunker.format().callId(),
                chunker.chunksEmitted(), chunker.samplesPerChannel());
    }

    private void refuse(int statusCode, String reason) {
        finishCall();
        // A close reason must fit in a control frame (123 bytes).
        String shortReason = reason.length() > 120 ? reason.substring(0, 117) + "..." : reason;
        session.close(statusCode, shortReason, Callback.NOOP);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
