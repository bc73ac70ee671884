package io.emostream.job.speechlm;

/**
 * Stops asking a server that keeps failing. After {@code failuresToOpen} failures in a row the circuit opens and
 * no request is sent for {@code openNanos}; then one trial request goes through (half open): its success closes
 * the circuit, its failure opens it again. Not thread-safe on its own; the client calls it under its lock.
 */
final class CircuitBreaker {
    private final int failuresToOpen;
    private final long openNanos;
    private int failuresInARow;
    private long openUntil;
    private boolean open;
    private boolean trialOut;

    CircuitBreaker(int failuresToOpen, long openNanos) {
        if (failuresToOpen < 1 || openNanos < 0) {
            throw new IllegalArgumentException("a circuit breaker needs failuresToOpen >= 1 and a non-negative open time");
        }
        this.failuresToOpen = failuresToOpen;
        this.openNanos = openNanos;
    }

    /** Whether a request may be sent now; when half open, only the one trial request may. */
    boolean allow(long nowNanos) {
        if (!open) {
            return true;
        }
        if (nowNanos - openUntil < 0 || trialOut) {
            return false;
        }
        trialOut = true;
        return true;
    }

    /** The request {@link #allow} let through was not sent after all: a later one may be the trial. */
    void unused() {
        trialOut = false;
    }

    void succeeded() {
        failuresInARow = 0;
        open = false;
        trialOut = false;
    }

    void failed(long nowNanos) {
        failuresInARow++;
        if (trialOut || failuresInARow >= failuresToOpen) {
            open = true;
            trialOut = false;
            openUntil = nowNanos + openNanos;
        }
    }

    /** Milliseconds until a trial request may go, 0 when closed. */
    long millisUntilTrial(long nowNanos) {
        return open ? Math.max(0, (openUntil - nowNanos) / 1_000_000) : 0;
    }

    int failuresInARow() {
        return failuresInARow;
    }
}
