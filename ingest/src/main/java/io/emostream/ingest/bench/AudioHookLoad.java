package io.emostream.ingest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Load for an ingest process's {@code /audiohook} endpoint: N sessions at once, each streaming PCMU stereo at real
 * time in 20 ms frames, as Genesys Cloud does, then closing. Measures whether the server keeps up: how late frames
 * leave (a server that stops reading holds up the sender's WebSocket), and how long each close waits for
 * {@code closed}, which the server sends once Kafka has acknowledged the whole call. Also the CPU the ingest process
 * used, read from /proc when its pid is given.
 */
public final class AudioHookLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAME_MS = 20;
    private static final int FRAME_BYTES = 8 * FRAME_MS * 2;

    /** What one load run found. */
    public record Result(int sessions, double seconds, int completed, List<String> failures, double[] lateMs,
                         double[] closeMs, double ingestCpuSeconds) {
        public String describe() {
            double[] late = lateMs.clone();
            double[] close = closeMs.clone();
            Arrays.sort(late);
            Arrays.sort(close);
            return String.format(Locale.ROOT, "| %d | %.0f | %d | %.1f / %.1f / %.1f | %.0f / %.0f | %s |", sessions,
                    seconds, completed, percentile(late, 0.5), percentile(late, 0.99), percentile(late, 1.0),
                    percentile(close, 0.5), percentile(close, 0.99),
                    Double.isNaN(ingestCpuSeconds) ? "n/a" : String.format(Locale.ROOT, "%.1f ms", ingestCpuSeconds * 1000
                            / (sessions * seconds)));
        }
    }

    private AudioHookLoad() {
    }

    /**
     * @param ingestPid the ingest process, for its CPU time; null to leave CPU out
     */
    public static Result run(URI url, Map<String, String> headers, int sessions, double seconds, Long ingestPid)
            throws Exception {
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
        HttpClient http = HttpClient.newHttpClient();
        ConcurrentLinkedQueue<Double> late = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Double> close = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        double cpuBefore = cpuSeconds(ingestPid);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                done.add(session(url, headers, http, clock, seconds, new Random(i), late, close)
                        .exceptionally(error -> {
                            failures.add(String.valueOf(error.getCause() != null ? error.getCause() : error));
                            return null;
                        }));
                // Genesys does not open hundreds of sessions in the same millisecond either.
                Thread.sleep(5);
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get((long) seconds + 120, TimeUnit.SECONDS);
        } finally {
            clock.shutdownNow();
        }
        double cpu = cpuSeconds(ingestPid) - cpuBefore;
        return new Result(sessions, seconds, close.size(), List.copyOf(failures),
                late.stream().mapToDouble(Double::doubleValue).toArray(),
                close.stream().mapToDouble(Double::doubleValue).toArray(), cpu);
    }

    private static CompletableFuture<Void> session(URI url, Map<String, String> headers, HttpClient http,
                                                   ScheduledExecutorService clock, double seconds, Random random,
                                                   ConcurrentLinkedQueue<Double> late, ConcurrentLinkedQueue<Double> close) {
        Session session = new Session();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30));
        headers.forEach(builder::header);
        return builder.buildAsync(url, session).thenCompose(ws -> {
            session.ws = ws;
            session.send("open", openParameters());
            return session.reply("opened");
        }).thenCompose(opened -> {
            CompletableFuture<Void> streamed = new CompletableFuture<>();
            byte[] frame = new byte[FRAME_BYTES];
            long frames = Math.round(seconds * 1000 / FRAME_MS);
            long start = System.nanoTime();
            ScheduledFuture<?>[] ticker = new ScheduledFuture<?>[1];
            long[] sent = {0};
            CompletableFuture<?>[] previous = {CompletableFuture.completedFuture(null)};
            ticker[0] = clock.scheduleAtFixedRate(() -> {
                if (!previous[0].isDone()) {
                    return; // the last frame is still on its way: the next tick sends what is due
                }
                long due = Math.min(frames, (System.nanoTime() - start) / 1_000_000 / FRAME_MS + 1);
                CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
                while (sent[0] < due) {
                    long n = sent[0]++;
                    random.nextBytes(frame);
                    ByteBuffer copy = ByteBuffer.wrap(frame.clone());
                    chain = chain.thenCompose(x -> session.ws.sendBinary(copy, true)).thenRun(() ->
                            late.add(Math.max(0, (System.nanoTime() - start) / 1e6 - n * FRAME_MS)));
                }
                previous[0] = chain;
                if (sent[0] >= frames) {
                    ticker[0].cancel(false);
                    chain.whenComplete((x, error) -> {
                        if (error != null) {
                            streamed.completeExceptionally(error);
                        } else {
                            streamed.complete(null);
                        }
                    });
                }
            }, FRAME_MS, FRAME_MS, TimeUnit.MILLISECONDS);
            return streamed;
        }).thenCompose(streamed -> {
            long closing = System.nanoTime();
            session.send("close", JSON.createObjectNode().put("reason", "end"));
            return session.reply("closed").thenAccept(closed -> {
                close.add((System.nanoTime() - closing) / 1e6);
                session.ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
            });
        });
    }

    private static ObjectNode openParameters() {
        ObjectNode parameters = JSON.createObjectNode().put("organizationId", UUID.randomUUID().toString())
                .put("conversationId", UUID.randomUUID().toString());
        parameters.putObject("participant").put("id", UUID.randomUUID().toString()).put("ani", "+10000000000")
                .put("aniName", "load").put("dnis", "+10000000001");
        parameters.putArray("media").addObject().put("type", "audio").put("format", "PCMU").put("rate", 8000)
                .putArray("channels").add("external").add("internal");
        return parameters;
    }

    /** One session's client side: counts seq, waits for the server's replies. */
    private static final class Session implements WebSocket.Listener {
        private final String id = UUID.randomUUID().toString();
        private final StringBuilder text = new StringBuilder();
        private final Map<String, CompletableFuture<JsonNode>> awaited = new java.util.concurrent.ConcurrentHashMap<>();
        private WebSocket ws;
        private long seq;

        synchronized void send(String type, ObjectNode parameters) {
            ObjectNode message = JSON.createObjectNode().put("version", "2").put("id", id).put("type", type)
                    .put("seq", ++seq).put("serverseq", 0).put("position", "PT0S");
            message.set("parameters", parameters);
            ws.sendText(message.toString(), true).join();
        }

        CompletableFuture<JsonNode> reply(String type) {
            return awaited.computeIfAbsent(type, t -> new CompletableFuture<>());
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    String type = message.path("type").asText();
                    if (type.equals("disconnect")) {
                        awaited.values().forEach(f -> f.completeExceptionally(new IllegalStateException(
                                "disconnected: " + message.path("parameters").path("info").asText())));
                    }
                    reply(type).complete(message);
                } catch (Exception e) {
                    reply("opened").completeExceptionally(e);
                }
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    /** User plus system CPU seconds of a process, from /proc; NaN when unknown. */
    static double cpuSeconds(Long pid) {
        if (pid == null) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc", pid.toString(), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux).
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
