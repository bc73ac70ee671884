package io.emostream.sinks.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The operator dashboard over HTTP: the pages, a JSON API and a Server-Sent Events stream of every change, all
 * from a {@link LiveView}. Binds to localhost unless told otherwise; with a token, every request needs it, as
 * {@code Authorization: Bearer TOKEN} or as the cookie that opening any page with {@code ?token=TOKEN} sets.
 */
public final class DashboardServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATIC = "io/emostream/sinks/dashboard/static/";
    private static final String COOKIE = "emostream_token";
    /** Changes a slow browser may fall behind by before it is disconnected (it reconnects and reloads). */
    static final int SSE_BACKLOG = 1_000;
    /** Put on a browser's queue to end its stream. */
    private static final String CLOSE = "";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    /**
     * @param host  interface to bind; anything but a loopback address needs a token
     * @param port  0 picks a free one
     * @param token required from every client, or null on localhost
     * @param title shown in the page header
     */
    public record Settings(String host, int port, String token, String title) {
        public static Settings defaults() {
            return new Settings("127.0.0.1", 8080, null, "emostream");
        }

        public Settings {
            boolean local = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
            if (!local && (token == null || token.isBlank())) {
                throw new IllegalArgumentException("The dashboard shows call transcripts and emotions; to serve it on "
                        + host + " give it a token (only clients presenting it are let in), or keep it on 127.0.0.1.");
            }
        }

        public Settings withPort(int newPort) {
            return new Settings(host, newPort, token, title);
        }

        public Settings withHostAndToken(String newHost, String newToken) {
            return new Settings(newHost, port, newToken, title);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final LiveView view;
    private final Settings settings;
    private final Set<BlockingQueue<String>> subscribers = new CopyOnWriteArraySet<>();

    private DashboardServer(Settings settings, LiveView view) {
        this.settings = settings;
        this.view = view;
        QueuedThreadPool threads = new QueuedThreadPool(200);
        threads.setName("emostream-dashboard");
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                route(request, response, callback);
                return true;
            }
        });
    }

    /** Starts serving; a port in use gets one sentence naming it. */
    public static DashboardServer start(Settings settings, LiveView view) {
        DashboardServer dashboard = new DashboardServer(settings, view);
        try {
            dashboard.server.start();
        } catch (Exception e) {
            dashboard.close();
            if (e instanceof IOException && e.getCause() instanceof BindException || e instanceof BindException) {
                throw new IllegalStateException("Port " + settings.port() + " on " + settings.host()
                        + " is in use; stop what holds it, or choose another port for the dashboard.", e);
            }
            throw new IllegalStateException("The dashboard could not start on " + settings.host() + ":" + settings.port()
                    + " (" + e.getMessage() + ").", e);
        }
        return dashboard;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Where to open it; never with the token, which would end up in terminals and logs. */
    public String url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + port() + "/" + (settings.token() == null ? "" : " (open it once with ?token=YOUR_TOKEN)");
    }

    /** Sends a change to every open event stream; a browser too far behind is dropped and reconnects. */
    public void publish(String type, ObjectNode data) {
        String message = "event: " + type + "\ndata: " + data + "\n\n";
        for (BlockingQueue<String> subscriber : subscribers) {
            if (!subscriber.offer(message)) {
                subscribers.remove(subscriber);
                subscriber.clear();
                subscriber.offer(CLOSE);
            }
        }
    }

    private void route(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        Fields query = Request.extractQueryParameters(request);
        String offered = query.getValue("token");
        if (settings.token() != null && offered != null && matches(offered)) {
            // Opening a page with ?token= sets the cookie, then shows the page without the token in the address.
            Response.addCookie(response, HttpCookie.build(COOKIE, offered).path("/").httpOnly(true)
                    .sameSite(HttpCookie.SameSite.STRICT).build());
            String rest = query.stream().filter(field -> !field.getName().equals("token"))
                    .flatMap(field -> field.getValues().stream().map(value -> encode(field.getName()) + "=" + encode(value)))
                    .collect(java.util.stream.Collectors.joining("&"));
            Response.sendRedirect(request, response, callback, path + (rest.isEmpty() ? "" : "?" + rest));
            return;
        }
        if (!authorized(request)) {
            send(response, callback, HttpStatus.UNAUTHORIZED_401, JSON.createObjectNode()
                    .put("error", "This dashboard needs a token: open it with ?token=YOUR_TOKEN once."));
            return;
        }
        if (!request.getMethod().equals("GET")) {
            send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, JSON.createObjectNode().put("error", "Only GET is served."));
            return;
        }
        switch (path) {
            case "/", "/index.html" -> resource(response, callback, "index.html");
            case "/call.html", "/dashboard.js", "/dashboard.css" -> resource(response, callback, path.substring(1));
            case "/api/config" -> send(response, callback, HttpStatus.OK_200, JSON.createObjectNode()
                    .put("hideTranscripts", view.hideTranscripts()).put("title", settings.title())
                    .put("recentlyEnded", LiveView.RECENTLY_ENDED));
            case "/api/calls" -> send(response, callback, HttpStatus.OK_200, view.calls(System.currentTimeMillis()));
            case "/api/alerts" -> send(response, callback, HttpStatus.OK_200, view.alerts());
            case "/api/groups" -> send(response, callback, HttpStatus.OK_200, view.groups(System.currentTimeMillis()));
            case "/api/stream" -> stream(response, callback);
            default -> {
                if (path.startsWith("/api/calls/")) {
                    // The path arrives decoded already; decoding again would turn a '+' in an id into a space.
                    String callId = path.substring("/api/calls/".length());
                    Optional<ObjectNode> call = view.call(callId);
                    if (call.isPresent()) {
                        send(response, callback, HttpStatus.OK_200, call.get());
                    } else {
                        send(response, callback, HttpStatus.NOT_FOUND_404, JSON.createObjectNode()
                                .put("error", "Call " + callId + " is not held (calls, live or ended, are kept for"
                                        + " two hours after their last event)."));
                    }
                } else {
                    send(response, callback, HttpStatus.NOT_FOUND_404, JSON.createObjectNode().put("error", "No such page: " + path));
                }
            }
        }
    }

    /** Holds the request's thread for as long as the browser listens: one thread per open dashboard. */
    private void stream(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(SSE_BACKLOG);
        subscribers.add(queue);
        try {
            write(response, ": connected\n\n");
            while (true) {
                String message = queue.poll(15, TimeUnit.SECONDS);
                if (CLOSE.equals(message)) {
                    break;
                }
                write(response, message == null ? ": keep-alive\n\n" : message);
            }
            callback.succeeded();
        } catch (IOException | InterruptedException gone) {
            callback.failed(gone);
        } finally {
            subscribers.remove(queue);
        }
    }

    private static void write(Response response, String text) throws IOException {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
            written.block();
        }
    }

    private void resource(Response response, Callback callback, String name) throws IOException {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(STATIC + name)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("The dashboard page " + name + " is missing from the build"));
            }
            byte[] body = in.readAllBytes();
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    private static void send(Response response, Callback callback, int status, ObjectNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        Content.Sink.write(response, true, body.toString(), callback);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private boolean authorized(Request request) {
        if (settings.token() == null) {
            return true;
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.startsWith("Bearer ") && matches(header.substring("Bearer ".length()))) {
            return true;
        }
        return Request.getCookies(request).stream().anyMatch(c -> c.getName().equals(COOKIE) && matches(c.getValue()));
    }

    private boolean matches(String offered) {
        return MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8), settings.token().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        subscribers.forEach(queue -> {
            queue.clear();
            queue.offer(CLOSE);
        });
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("The dashboard did not stop cleanly", e);
        }
    }
}
