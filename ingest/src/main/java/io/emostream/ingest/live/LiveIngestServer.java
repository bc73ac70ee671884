package io.emostream.ingest.live;

import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.kafka.ChunkPublisher;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The live ingest endpoint: softphones, media servers and browsers open one WebSocket per call at
 * {@code ws://HOST:PORT/v1/audio}, send a JSON start message, binary audio frames, then {@code {"type":"end"}}.
 * When a token is configured, the upgrade needs {@code Authorization: Bearer TOKEN} or, for browsers, which
 * cannot set headers on a WebSocket, {@code ?access_token=TOKEN}; otherwise it is refused with HTTP 401.
 */
public final class LiveIngestServer implements AutoCloseable {
    public static final String PATH = "/v1/audio";

    private final Server server;
    private final ServerConnector connector;
    private final CallRegistry calls = new CallRegistry();

    /**
     * @param token           required bearer token, or null to accept anyone who can reach the port
     * @param maxMessageBytes largest binary message accepted; a bigger one closes the connection
     */
    public record Settings(String host, int port, String token, int chunkMs, int maxMessageBytes, Duration idleTimeout) {
        public Settings {
            CallChunker.requireValidChunkMs(chunkMs);
        }

        public static Settings defaults(int port) {
            return new Settings("127.0.0.1", port, null, 100, 1 << 20, Duration.ofSeconds(60));
        }

        public Settings withToken(String token) {
            return new Settings(host, port, token, chunkMs, maxMessageBytes, idleTimeout);
        }

        public Settings withHost(String host) {
            return new Settings(host, port, token, chunkMs, maxMessageBytes, idleTimeout);
        }

        public Settings withChunkMs(int chunkMs) {
            return new Settings(host, port, token, chunkMs, maxMessageBytes, idleTimeout);
        }
    }

    private LiveIngestServer(Settings settings, ChunkPublisher publisher) {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxBinaryMessageSize(settings.maxMessageBytes());
            container.setMaxTextMessageSize(64 * 1024);
            container.setIdleTimeout(settings.idleTimeout());
            container.addMapping(PATH, (request, response, callback) -> {
                if (!authorized(request, settings.token())) {
                    Response.writeError(request, response, callback, 401, "missing or wrong bearer token");
                    return null;
                }
                return new LiveCallSocket(publisher, settings.chunkMs(), calls, address(request));
            });
        }));
        server.setHandler(context);
    }

    /** Starts listening; fails with one sentence if the port cannot be bound. */
    public static LiveIngestServer start(Settings settings, ChunkPublisher publisher) {
        LiveIngestServer live = new LiveIngestServer(settings, publisher);
        try {
            live.server.start();
        } catch (Exception e) {
            live.close();
            throw new IllegalStateException("Cannot listen on " + settings.host() + ":" + settings.port() + " ("
                    + e.getMessage() + "); choose another port with --listen.", e);
        }
        return live;
    }

    /** The port actually bound (useful when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the live ingest server cleanly", e);
        }
    }

    private static boolean authorized(Request request, String token) {
        if (token == null) {
            return true;
        }
        String header = request.getHeaders().get("Authorization");
        String offered = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            offered = header.substring(7).strip();
        } else {
            Fields query = Request.extractQueryParameters(request);
            offered = query.getValue("access_token");
        }
        return offered != null && MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static String address(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort() : String.valueOf(remote);
    }
}
