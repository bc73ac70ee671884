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

    /** What {@link #allow} said of a request: not to send it, to send it, or to send it as the half-open trial. */
    enum Ticket { DENIED, SENT, TRIAL }

    /** Whether a request may be sent now; when half open, only the one trial request may. */
    Ticket allow(long nowNanos) {
        if (!open) {
            return Ticket.SENT;
        }
        if (nowNanos - openUntil < 0 || trialOut) {
            return Ticket.DENIED;
        }
        trialOut = true;
        return Ticket.TRIAL;
    }

    /** The request {@link #allow} let through was not sent after all: a later one may be the trial. */
    void unused(Ticket ticket) {
        if (ticket == Ticket.TRIAL) {
            trialOut = false;
        }
    }

    /**
     * A request answered. While the circuit is open only the trial's answer counts: a late answer to a request sent
     * before it opened says nothing about the server now.
     */
    void succeeded(Ticket ticket) {
        if (open && ticket != Ticket.TRIAL) {
            return;
        }
        failuresInARow = 0;
        open = false;
        trialOut = false;
    }

    /** A request failed; while the circuit is open only the trial's failure counts (and opens it again). */
    void failed(Ticket ticket, long nowNanos) {
        if (open && ticket != Ticket.TRIAL) {
            return;
        }
        failuresInARow++;
        if (ticket == Ticket.TRIAL || failuresInARow >= failuresToOpen) {
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
