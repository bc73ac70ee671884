package io.emostream.ingest.live;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The live ingest endpoint: softphones, media servers and browsers open one WebSocket per call at
 * {@code ws://HOST:PORT/v1/audio}, send a JSON start message, binary audio frames, then {@code {"type":"end"}}.
 * When a token is configured, the upgrade needs {@code Authorization: Bearer TOKEN} or, for browsers, which
 * cannot set headers on a WebSocket, {@code ?access_token=TOKEN}; otherwise it is refused with HTTP 401.
 * Telephony protocols that speak WebSocket (Genesys AudioHook, Twilio Media Streams) are served on the same port at
 * paths of their own, each with its own authentication; with a key store the port speaks TLS ({@code wss://}).
 */
public final class LiveIngestServer implements AutoCloseable {
    public static final String PATH = "/v1/audio";

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;
    private final List<WebSocketRoute> routes;

    /**
     * @param token required bearer token on {@link #PATH}, or null to accept anyone who can reach the port
     * @param tls   the key store to serve {@code https}/{@code wss} with, or null for plain {@code ws}
     */
    public record Settings(String host, int port, String token, TlsSettings tls) {
        public static Settings defaults(int port) {
            return new Settings("127.0.0.1", port, null, null);
        }

        public Settings withToken(String token) {
            return new Settings(host, port, token, tls);
        }

        public Settings withHost(String host) {
            return new Settings(host, port, token, tls);
        }

        public Settings withTls(TlsSettings tls) {
            return new Settings(host, port, token, tls);
        }
    }

    private LiveIngestServer(Settings settings, LiveCalls calls, List<WebSocketRoute> protocols) {
        server = new Server();
        tls = settings.tls() != null;
        connector = tls ? new ServerConnector(server, sslContext(settings.tls())) : new ServerConnector(server);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        List<WebSocketRoute> all = new ArrayList<>();
        all.add(new WebSocketRoute(PATH, "emostream's own protocol; " + (settings.token() == null ? "no token"
                : "bearer token required"), (request, response, callback) -> {
            if (!authorized(request, settings.token())) {
                Response.writeError(request, response, callback, 401, "missing or wrong bearer token");
                return null;
            }
            return new LiveCallSocket(calls, address(request));
        }));
        all.addAll(protocols);
        routes = List.copyOf(all);
        LiveLimits limits = calls.limits();
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxBinaryMessageSize(limits.maxMessageBytes());
            container.setMaxTextMessageSize(64 * 1024);
            container.setIdleTimeout(limits.idleTimeout());
            routes.forEach(route -> container.addMapping(route.path(), route.creator()));
        }));
        server.setHandler(context);
    }

    /** Starts listening with emostream's own protocol only; fails with one sentence if the port cannot be bound. */
    public static LiveIngestServer start(Settings settings, LiveCalls calls) {
        return start(settings, calls, List.of());
    }

    /**
     * Starts listening with emostream's own protocol and the given telephony protocols' endpoints; fails with one
     * sentence if the port cannot be bound or the key store cannot be used.
     */
    public static LiveIngestServer start(Settings settings, LiveCalls calls, List<WebSocketRoute> protocols) {
        LiveIngestServer live = new LiveIngestServer(settings, calls, protocols);
        try {
            live.server.start();
        } catch (Exception e) {
            live.close();
            String what = settings.tls() == null ? "" : " with TLS from " + settings.tls().keyStore();
            throw new IllegalStateException("Cannot listen on " + settings.host() + ":" + settings.port() + what + " ("
                    + e.getMessage() + "); choose another port with --listen"
                    + (settings.tls() == null ? "." : ", or check --tls-keystore and --tls-password-file."), e);
        }
        return live;
    }

    /** The port actually bound (useful when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The endpoints served, each as {@code ws[s]://HOST:PORT/PATH}. */
    public List<String> urls(String host) {
        return routes.stream().map(route -> (tls ? "wss" : "ws") + "://" + host + ":" + port() + route.path()
                + " (" + route.description() + ")").toList();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the live ingest server cleanly", e);
        }
    }

    private static SslContextFactory.Server sslContext(TlsSettings tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keyStore().toAbsolutePath().toString());
        ssl.setKeyStorePassword(tls.password());
        ssl.setKeyStoreType(tls.keyStore().toString().endsWith(".jks") ? "JKS" : "PKCS12");
        return ssl;
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

    /** The peer's address as {@code host:port}, for logs and a call's source. */
    public static String address(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort() : String.valueOf(remote);
    }
}
