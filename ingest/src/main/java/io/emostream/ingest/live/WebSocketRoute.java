package io.emostream.ingest.live;

import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * A telephony protocol's WebSocket endpoint on the live ingest port, e.g. {@code /audiohook}. The creator checks the
 * upgrade request (authentication, headers) and returns the connection's listener, or writes an HTTP error and
 * returns null.
 */
public record WebSocketRoute(String path, String description, WebSocketCreator creator) {
    public WebSocketRoute {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with '/': " + path);
        }
    }
}
