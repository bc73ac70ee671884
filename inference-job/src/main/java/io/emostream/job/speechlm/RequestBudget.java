package io.emostream.job.speechlm;

/**
 * The SpeechLM's cost limit: a token bucket refilled at a steady rate, holding at most one second of requests
 * (and at least one). Not thread-safe on its own; the client takes it under its lock.
 */
final class RequestBudget {
    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    RequestBudget(double perSecond, long nowNanos) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("a request budget needs a positive rate, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.capacity = Math.max(1, perSecond);
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Spends one request if the budget has one. */
    boolean tryTake(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) / 1e9 * perSecond);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
