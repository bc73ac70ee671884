package io.emostream.ingest.feed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A podcast host on the loopback: {@code /feed.xml} serves the current feed with an ETag (and answers 304 to a
 * request whose If-None-Match names it), {@code /media/NAME} serves the recordings put there (404 for others).
 */
final class PodcastServer implements AutoCloseable {
    /** One episode of the feed served. */
    record Item(String guid, String title, String pubDate, String enclosure, String type) {
    }

    private final HttpServer server;
    private final AtomicReference<String> feed = new AtomicReference<>("");
    private final AtomicReference<String> contentType = new AtomicReference<>("application/rss+xml; charset=utf-8");
    private final AtomicInteger failWith = new AtomicInteger();
    private final Map<String, Path> media = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicInteger notModified = new AtomicInteger();

    PodcastServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Serves an RSS 2.0 feed with these items, in this order, under the channel title {@code show}. */
    void serveFeed(String show, List<Item> items) {
        StringBuilder rss = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
                <channel>
                <title>%s</title>
                """.formatted(show));
        for (Item item : items) {
            rss.append("""
                    <item><title>%s</title><guid>%s</guid><pubDate>%s</pubDate><itunes:duration>0:04</itunes:duration>
                    <enclosure url="%s" type="%s" length="1"/></item>
                    """.formatted(item.title(), item.guid(), item.pubDate(), item.enclosure(), item.type()));
        }
        serveDocument(rss.append("</channel>\n</rss>\n").toString(), "application/rss+xml; charset=utf-8");
    }

    void serveDocument(String document, String type) {
        feed.set(document);
        contentType.set(type);
    }

    /** Answers the feed's requests with this status (0: serve the feed again). */
    void failFeedWith(int status) {
        failWith.set(status);
    }

    void putMedia(String name, Path file) {
        media.put(name, file);
    }

    int requests(String path) {
        return requests.getOrDefault(path, new AtomicInteger()).get();
    }

    /** Feed requests answered 304 because their If-None-Match named the current feed. */
    int notModified() {
        return notModified.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            if (path.equals("/feed.xml")) {
                if (failWith.get() != 0) {
                    exchange.sendResponseHeaders(failWith.get(), -1);
                    return;
                }
                String document = feed.get();
                String tag = "\"" + Integer.toHexString(document.hashCode()) + "\"";
                exchange.getResponseHeaders().set("ETag", tag);
                if (tag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    notModified.incrementAndGet();
                    exchange.sendResponseHeaders(304, -1);
                    return;
                }
                send(exchange, document.getBytes(StandardCharsets.UTF_8), contentType.get());
            } else if (path.startsWith("/media/") && media.containsKey(path.substring(7))) {
                send(exchange, Files.readAllBytes(media.get(path.substring(7))), "application/octet-stream");
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private static void send(HttpExchange exchange, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
