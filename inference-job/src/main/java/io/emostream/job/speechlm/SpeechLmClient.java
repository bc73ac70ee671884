package io.emostream.job.speechlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.schema.SpeechLmStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an OpenAI-compatible SpeechLM server about utterances without ever blocking the caller: every question is
 * answered by a future that completes within the time limit, with the server's checked answer or with the reason
 * there is none. In order, a question is turned away when the circuit is open, when the concurrency limit is
 * reached, or when the request budget is spent; otherwise it is sent, and retried with doubling back-off on
 * connection errors, 408, 429 and 5xx while time remains. A 4xx or an answer that fails the checks is not retried.
 * The answer is asked for under a JSON schema (structured output) until the server refuses that once; from then on
 * this client asks with the prompt contract alone, and the refused request is sent again at once in that form.
 */
public final class SpeechLmClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SpeechLmClient.class);
    /** How often a patient question looks for a free slot and a budget token. */
    private static final long TURN_POLL_MS = 10;

    private final SpeechLmSettings settings;
    private final HttpClient http;
    private final ExecutorService executor;
    private final LongSupplier nanoClock;
    private final String apiKey;
    private final CircuitBreaker breaker;
    private final RequestBudget budget;
    private int inFlight;
    private volatile String servedModel;
    /** Cleared for good by the server's first refusal, so that it is not asked again on every utterance. */
    private final AtomicBoolean structuredOutput = new AtomicBoolean(true);

    /**
     * @param perSecond this client's share of the job's request budget
     * @param apiKey    sent as a bearer token; null for none
     */
    public SpeechLmClient(SpeechLmSettings settings, double perSecond, String apiKey) {
        this(settings, perSecond, apiKey, System::nanoTime);
    }

    SpeechLmClient(SpeechLmSettings settings, double perSecond, String apiKey, LongSupplier nanoClock) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.apiKey = apiKey;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "emostream-speechlm");
            thread.setDaemon(true);
            return thread;
        });
        // vLLM and trtllm-serve speak HTTP/1.1; asking them to upgrade to HTTP/2 only costs a round trip.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(min(settings.timeout(), Duration.ofSeconds(5))).build();
        this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerOpen().toNanos());
        this.budget = new RequestBudget(perSecond, nanoClock.getAsLong());
        this.servedModel = settings.model();
    }

    /** The id events name the SpeechLM by; it names the served model once that is known. */
    public String id() {
        return settings.id(servedModel);
    }

    /** Requests in flight now. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /**
     * As {@link #ask}, but over the concurrency limit or the budget the question waits its turn instead of falling
     * back: for bounded runs (analysing files, evaluating), where nobody is watching live and every utterance should
     * get the SpeechLM's answer. An open circuit still falls back at once, so a dead server does not stop the run.
     */
    public CompletableFuture<Outcome> askPatiently(Question question) {
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        askInTurn(question, answer);
        return answer;
    }

    private void askInTurn(Question question, CompletableFuture<Outcome> answer) {
        ask(question).whenComplete((outcome, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else if (outcome.status() == SpeechLmStatus.BUSY || outcome.status() == SpeechLmStatus.OVER_BUDGET) {
                CompletableFuture.delayedExecutor(TURN_POLL_MS, TimeUnit.MILLISECONDS, executor)
                        .execute(() -> askInTurn(question, answer));
            } else {
                answer.complete(outcome);
            }
        });
    }

    /** The answer to one question, or why there is none; never completes exceptionally. */
    public CompletableFuture<Outcome> ask(Question question) {
        long started = nanoClock.getAsLong();
        CircuitBreaker.Ticket ticket;
        synchronized (this) {
            ticket = breaker.allow(started);
            if (ticket == CircuitBreaker.Ticket.DENIED) {
                return CompletableFuture.completedFuture(Outcome.fallback(SpeechLmStatus.CIRCUIT_OPEN, 0, 0,
                        "the last " + settings.breakerFailures() + " requests failed, so none is sent for "
                                + breaker.millisUntilTrial(started) + " ms"));
            }
            if (inFlight >= settings.concurrency()) {
                breaker.unused(ticket);
                return CompletableFuture.completedFuture(Outcome.fallback(SpeechLmStatus.BUSY, 0, 0,
                        settings.concurrency() + " requests were already in flight"));
            }
            if (!budget.tryTake(started)) {
                breaker.unused(ticket);
                return CompletableFuture.completedFuture(Outcome.fallback(SpeechLmStatus.OVER_BUDGET, 0, 0,
                        "the budget of " + settings.perSecond() + " requests per second was spent"));
            }
            inFlight++;
        }
        long deadline = started + settings.timeout().toNanos();
        Attempts attempts = new Attempts();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        try {
            attempt(question, attempts, started, deadline, outcome);
        } catch (RuntimeException local) {
            outcome.complete(attempts.localFailure(local, millisSince(started)));
        }
        // The deadline holds even if a server accepts the request and then sends its answer slowly.
        outcome.completeOnTimeout(null, settings.timeout().toMillis() + 50, TimeUnit.MILLISECONDS);
        return outcome.thenApply(done -> {
            Outcome result = done != null ? done : Outcome.fallback(SpeechLmStatus.TIMED_OUT, attempts.sent.get(),
                    millisSince(started), "no answer within " + settings.timeout().toMillis() + " ms");
            settle(result, attempts.local, ticket);
            return result;
        });
    }

    /** How many tries an utterance has had, and whether it failed here rather than at the server. */
    private static final class Attempts {
        final AtomicInteger sent = new AtomicInteger();
        volatile boolean local;

        Outcome localFailure(Throwable error, long latencyMs) {
            local = true;
            return Outcome.fallback(SpeechLmStatus.FAILED, sent.get(), latencyMs, "the request could not be made here ("
                    + describe(error) + ")");
        }
    }

    private void attempt(Question question, Attempts attempts, long started, long deadline, CompletableFuture<Outcome> outcome) {
        long remaining = deadline - nanoClock.getAsLong();
        if (remaining <= 0 || outcome.isDone()) {
            outcome.complete(Outcome.fallback(SpeechLmStatus.TIMED_OUT, attempts.sent.get(), millisSince(started),
                    "no answer within " + settings.timeout().toMillis() + " ms"));
            return;
        }
        Duration left = Duration.ofNanos(remaining);
        // A try is counted before it starts, the server's model list included, so that retries stay bounded.
        attempts.sent.incrementAndGet();
        CompletableFuture<String> model = servedModel != null ? CompletableFuture.completedFuture(servedModel) : discoverModel(left);
        boolean structured = structuredOutput.get();
        model.thenCompose(name -> {
            String body = ChatCompletions.request(question, name, settings.maxSamples(), structured);
            return http.sendAsync(request(settings.endpoint(), left).POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json").header("X-Request-Id", headerSafe(question.utteranceId())).build(),
                    HttpResponse.BodyHandlers.ofString());
        }).whenComplete((response, error) -> {
            if (outcome.isDone()) {
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause != null && !(cause instanceof IOException)) {
                outcome.complete(attempts.localFailure(cause, millisSince(started)));
                return;
            }
            if (error == null && response.statusCode() == 200) {
                try {
                    outcome.complete(Outcome.answered(ChatCompletions.read(response.body(), question.labels()),
                            attempts.sent.get(), millisSince(started)));
                } catch (ChatCompletions.InvalidAnswer invalid) {
                    outcome.complete(Outcome.fallback(SpeechLmStatus.INVALID_ANSWER, attempts.sent.get(),
                            millisSince(started), invalid.getMessage()));
                }
                return;
            }
            if (error == null && structured && ChatCompletions.refusesStructuredOutput(response.statusCode(), response.body())) {
                if (structuredOutput.compareAndSet(true, false)) {
                    LOG.warn("The SpeechLM at {} refused structured output (HTTP {}{}); asking with the prompt contract"
                            + " alone from now on", settings.endpoint(), response.statusCode(), snippet(response.body()));
                }
                // The refusal was of the request's form, not a failure of the server: the plain request goes at once.
                try {
                    attempt(question, attempts, started, deadline, outcome);
                } catch (RuntimeException local) {
                    outcome.complete(attempts.localFailure(local, millisSince(started)));
                }
                return;
            }
            if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                outcome.complete(Outcome.fallback(SpeechLmStatus.TIMED_OUT, attempts.sent.get(), millisSince(started),
                        "no answer within " + settings.timeout().toMillis() + " ms"));
                return;
            }
            String failure = cause != null ? "the request failed (" + describe(cause) + ")"
                    : "the server answered HTTP " + response.statusCode() + snippet(response.body());
            boolean retryable = cause != null || response.statusCode() == 408 || response.statusCode() == 429
                    || response.statusCode() >= 500;
            long wait = backoffNanos(attempts.sent.get());
            if (!retryable || attempts.sent.get() > settings.retries() || nanoClock.getAsLong() + wait >= deadline) {
                outcome.complete(Outcome.fallback(SpeechLmStatus.FAILED, attempts.sent.get(), millisSince(started), failure));
                return;
            }
            CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS, executor).execute(() -> {
                try {
                    attempt(question, attempts, started, deadline, outcome);
                } catch (RuntimeException local) {
                    outcome.complete(attempts.localFailure(local, millisSince(started)));
                }
            });
        });
    }

    /** The first model the server lists, asked once; vLLM serves one model per server. */
    private CompletableFuture<String> discoverModel(Duration left) {
        URI models = settings.endpoint().resolve("../models");
        return http.sendAsync(request(models, left).GET().build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new CompletionException(new IOException("GET " + models + " answered HTTP " + response.statusCode()
                        + "; name the model with ?model=NAME"));
            }
            try {
                String name = JSON.readTree(response.body()).path("data").path(0).path("id").asText("");
                if (name.isEmpty()) {
                    throw new IOException(models + " lists no model; name it with ?model=NAME");
                }
                servedModel = name;
                return name;
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    /**
     * A failure that took the server's time counts against the circuit; anything the server answered, and a failure
     * here (such as a request that could not be built), does not.
     */
    private void settle(Outcome outcome, boolean local, CircuitBreaker.Ticket ticket) {
        synchronized (this) {
            inFlight--;
            if (local) {
                breaker.unused(ticket);
            } else if (outcome.status() == SpeechLmStatus.FAILED || outcome.status() == SpeechLmStatus.TIMED_OUT) {
                breaker.failed(ticket, nanoClock.getAsLong());
            } else {
                breaker.succeeded(ticket);
            }
        }
    }

    /** Doubling from the configured back-off, with up to half of it random so that retries of many subtasks spread. */
    private long backoffNanos(int attemptsSent) {
        long base = settings.backoff().toNanos() << Math.min(20, Math.max(0, attemptsSent - 1));
        return base / 2 + (long) (ThreadLocalRandom.current().nextDouble() * (base / 2.0));
    }

    private long millisSince(long startedNanos) {
        return (nanoClock.getAsLong() - startedNanos) / 1_000_000;
    }

    /** HTTP headers carry Latin-1 only; an id with other characters (a call named after a file) goes percent-encoded. */
    static String headerSafe(String utteranceId) {
        boolean plain = utteranceId.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        return plain ? utteranceId : URLEncoder.encode(utteranceId, StandardCharsets.UTF_8);
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ").trim();
        return ": " + (flat.length() > 200 ? flat.substring(0, 199) + "…" : flat);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
