package io.emostream.ingest.audiohook;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of an AudioHook session: hands Jetty's events to {@link AudioHookSession}. Public only because
 * Jetty binds its handler methods through a public lookup.
 */
public final class AudioHookSocket implements Session.Listener.AutoDemanding, AudioHookSession.Transport {
    private static final Logger LOG = LoggerFactory.getLogger(AudioHookSocket.class);

    private final AudioHookSession session;
    private volatile Session webSocket;
    private byte[] frame = new byte[0];

    AudioHookSocket(AudioHookSessionFactory factory) {
        this.session = factory.create(this);
    }

    /** Makes the session once the socket that carries it exists. */
    interface AudioHookSessionFactory {
        AudioHookSession create(AudioHookSession.Transport transport);
    }

    @Override
    public void onWebSocketOpen(Session webSocket) {
        this.webSocket = webSocket;
    }

    @Override
    public void onWebSocketText(String message) {
        session.onText(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        // Jetty may reuse the payload's buffer once the callback completes, so it is copied out first.
        int length = payload.remaining();
        if (frame.length < length) {
            frame = new byte[length];
        }
        payload.get(frame, 0, length);
        callback.succeed();
        session.onBinary(frame, 0, length);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        session.onClosed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.warn("AudioHook connection (call {}) failed: {}", session.callId(), cause.getMessage());
        session.onClosed();
    }

    @Override
    public void send(String text) {
        Session open = webSocket;
        if (open != null && open.isOpen()) {
            open.sendText(text, Callback.NOOP);
        }
    }

    @Override
    public void close() {
        Session open = webSocket;
        if (open != null) {
            open.close();
        }
    }
}
