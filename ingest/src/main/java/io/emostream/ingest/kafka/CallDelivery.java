package io.emostream.ingest.kafka;

import java.util.concurrent.CompletableFuture;

/**
 * Delivery of one call's chunks: how many Kafka has acknowledged, how many failed, and a future that completes
 * once the call is {@link #seal() sealed} and every chunk sent for it has an answer. Thread-safe: chunks are
 * counted by the sending thread and answered on the producer's thread.
 */
public final class CallDelivery {
    private final String callId;
    private final CompletableFuture<CallDelivery> settled = new CompletableFuture<>();
    private long pending;
    private long delivered;
    private long failed;
    private String firstFailure;
    private boolean sealed;

    public CallDelivery(String callId) {
        this.callId = callId;
    }

    public String callId() {
        return callId;
    }

    synchronized void sent() {
        if (sealed) {
            throw new IllegalStateException("call " + callId + " is sealed; no more chunks may be sent for it");
        }
        pending++;
    }

    synchronized void answered(Exception error) {
        pending--;
        if (error == null) {
            delivered++;
        } else {
            failed++;
            if (firstFailure == null) {
                firstFailure = error.toString();
            }
        }
        settleIfDone();
    }

    /** No more chunks will be sent for this call. */
    public synchronized void seal() {
        sealed = true;
        settleIfDone();
    }

    /** Completes when the call is sealed and every chunk has been acknowledged or has failed. */
    public CompletableFuture<CallDelivery> settled() {
        return settled;
    }

    public synchronized long delivered() {
        return delivered;
    }

    public synchronized long failed() {
        return failed;
    }

    /** The first delivery error of this call, or null. */
    public synchronized String firstFailure() {
        return firstFailure;
    }

    private void settleIfDone() {
        if (sealed && pending == 0) {
            settled.complete(this);
        }
    }
}
