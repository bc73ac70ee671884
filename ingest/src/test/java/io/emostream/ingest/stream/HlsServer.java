package io.emostream.ingest.stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HLS packager for tests, on the JDK's HTTP server. {@code /vod/...} serves a folder of fixtures as they are (a
 * VOD playlist and its segments). {@code /live.m3u8} is a live playlist rolling forward in real time: segment k
 * appears k target durations after the start, the playlist shows the last {@value #WINDOW}, and segment k's bytes are
 * the fixture's segment k mod {@value #LOOP} (the loop restarts its timestamps, so an EXT-X-DISCONTINUITY precedes
 * each round, as a packager looping a file would write). {@link #skipAhead(int)} makes the playlist jump forward, as
 * one does for a client that fell behind.
 */
final class HlsServer implements AutoCloseable {
    static final int WINDOW = 4;
    static final int LOOP = 4;

    private final HttpServer server;
    private final Path segments;
    private final List<Double> durations;
    private final long startNanos = System.nanoTime();
    private final AtomicInteger segmentRequests = new AtomicInteger();
    private volatile int skipped;

    /**
     * @param vod      the folder served under {@code /vod/}
     * @param segments the folder whose {@code segment-N.ts} files the live playlist loops over
     */
    HlsServer(Path vod, Path segments, List<Double> durations) throws IOException {
        this.segments = segments;
        this.durations = durations;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/vod/", exchange -> serveFile(exchange, vod.resolve(exchange.getRequestURI().getPath().substring(5))));
        server.createContext("/live.m3u8", this::livePlaylist);
        server.createContext("/live/", exchange -> {
            segmentRequests.incrementAndGet();
            String name = exchange.getRequestURI().getPath().substring("/live/seg-".length());
            long sequence = Long.parseLong(name.substring(0, name.indexOf('.')));
            serveFile(exchange, segments.resolve("segment-" + sequence % LOOP + ".ts"));
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next playlists start {@code segments} later: the client misses them. */
    void skipAhead(int segments) {
        skipped += segments;
    }

    int segmentRequests() {
        return segmentRequests.get();
    }

    private void livePlaylist(HttpExchange exchange) throws IOException {
        long available = (System.nanoTime() - startNanos) / 1_000_000_000L + WINDOW + skipped;
        long first = available - WINDOW;
        StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n")
                .append("#EXT-X-MEDIA-SEQUENCE:").append(first).append('\n');
        for (long k = first; k < available; k++) {
            if (k % LOOP == 0 && k > 0) {
                text.append("#EXT-X-DISCONTINUITY\n");
            }
            text.append(String.format(java.util.Locale.ROOT, "#EXTINF:%.3f,\n", durations.get((int) (k % LOOP))))
                    .append("live/seg-").append(k).append(".ts\n");
        }
        send(exchange, "application/vnd.apple.mpegurl", text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void serveFile(HttpExchange exchange, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        String name = file.getFileName().toString();
        String type = name.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : name.endsWith(".ts") ? "video/mp2t" : "video/mp4";
        send(exchange, type, Files.readAllBytes(file));
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
