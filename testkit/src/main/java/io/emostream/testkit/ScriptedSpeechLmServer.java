package io.emostream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server speaking the OpenAI chat-completions dialect, whose answers a test scripts: a valid answer,
 * any message content (malformed JSON, a label outside the set), an HTTP error, a late answer, or none until the
 * server closes. It serves GET /v1/models too, and records every request it saw, body included. A server without
 * structured output is {@link #refusingStructuredOutput} around a script.
 */
public final class ScriptedSpeechLmServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String SERVED_MODEL = "scripted-audio-lm";

    /** A chat-completions request as the server saw it. */
    public record Seen(String utteranceId, JsonNode body, String authorization, long atNanos) {
    }

    /** What the server does with a request. */
    public sealed interface Reply permits Content, Status, Late, Hang {
    }

    /** 200 with this message content. */
    public record Content(String content) implements Reply {
    }

    public record Status(int code, String body) implements Reply {
    }

    public record Late(Duration delay, Reply then) implements Reply {
    }

    /** No answer until the test releases it or the server closes. */
    public record Hang() implements Reply {
    }

    /**
     * How vLLM refuses a {@code response_format} it does not serve: HTTP 400 with pydantic's validation error, as a
     * release that knows only text and json_object answers json_schema.
     */
    public static final Reply REFUSED_RESPONSE_FORMAT = new Status(400, "{\"object\": \"error\", \"message\": \"[{'type':"
            + " 'literal_error', 'loc': ('body', 'response_format', 'type'), 'msg': \\\"Input should be 'text' or"
            + " 'json_object'\\\", 'input': 'json_schema'}]\", \"type\": \"BadRequestError\", \"param\": null, \"code\": 400}");

    /** A server without structured output: requests carrying {@code response_format} are refused, the rest scripted. */
    public static Function<Seen, Reply> refusingStructuredOutput(Function<Seen, Reply> script) {
        return seen -> seen.body().has("response_format") ? REFUSED_RESPONSE_FORMAT : script.apply(seen);
    }

    public static Reply answer(String transcript, String label, String rationale) {
        ObjectNode answer = JSON.createObjectNode().put("transcript", transcript).put("label", label).put("rationale", rationale);
        return new Content(answer.toString());
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Function<Seen, Reply> script;
    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger modelListings = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger mostConcurrent = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    public ScriptedSpeechLmServer(Function<Seen, Reply> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/models", exchange -> {
            modelListings.incrementAndGet();
            send(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + SERVED_MODEL + "\",\"object\":\"model\"}]}");
        });
        server.start();
    }

    /** The OpenAI-compatible base URL, e.g. http://127.0.0.1:41234/v1. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Seen> requests() {
        return List.copyOf(requests);
    }

    public int modelListings() {
        return modelListings.get();
    }

    /** The most chat requests the server held at once. */
    public int mostConcurrent() {
        return mostConcurrent.get();
    }

    /** Lets every hanging request go, answered with HTTP 503. */
    public void release() {
        released.countDown();
    }

    private void chat(HttpExchange exchange) throws IOException {
        int now = concurrent.incrementAndGet();
        mostConcurrent.accumulateAndGet(now, Math::max);
        try {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Seen seen = new Seen(exchange.getRequestHeaders().getFirst("X-Request-Id"), body,
                    exchange.getRequestHeaders().getFirst("Authorization"), System.nanoTime());
            requests.add(seen);
            reply(exchange, script.apply(seen));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            concurrent.decrementAndGet();
            exchange.close();
        }
    }

    private void reply(HttpExchange exchange, Reply reply) throws IOException, InterruptedException {
        if (reply instanceof Content content) {
            ObjectNode response = JSON.createObjectNode().put("id", "chatcmpl-test").put("object", "chat.completion")
                    .put("model", SERVED_MODEL);
            response.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                    .putObject("message").put("role", "assistant").put("content", content.content());
            send(exchange, 200, response.toString());
        } else if (reply instanceof Status status) {
            send(exchange, status.code(), status.body());
        } else if (reply instanceof Late late) {
            if (!released.await(late.delay().toMillis(), TimeUnit.MILLISECONDS)) {
                reply(exchange, late.then());
            } else {
                send(exchange, 503, "{\"error\":\"released\"}");
            }
        } else {
            released.await();
            send(exchange, 503, "{\"error\":\"released\"}");
        }
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // The client gave up waiting (its time limit): nobody is left to answer.
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
