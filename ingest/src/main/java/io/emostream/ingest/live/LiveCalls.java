package io.emostream.ingest.live;

import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.kafka.ChunkPublisher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live calls of one ingest process, over every protocol it speaks: one publisher, one registry of call ids
 * (a call id names one stream, whichever protocol brings it), one limit on calls at once, and counters.
 * Thread-safe.
 */
public final class LiveCalls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCalls.class);

    /** What the live endpoints have done since the process started. */
    public record Stats(int active, long started, long refused, long undeliverable) {
    }

    private final ChunkPublisher publisher;
    private final LiveLimits limits;
    private final CallRegistry registry = new CallRegistry();
    private final Set<LiveCall> open = new LinkedHashSet<>();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong undeliverable = new AtomicLong();
    private final ExecutorService callbacks = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "emostream-live-undeliverable");
        thread.setDaemon(true);
        return thread;
    });

    public LiveCalls(ChunkPublisher publisher, LiveLimits limits) {
        this.publisher = publisher;
        this.limits = limits;
    }

    public LiveLimits limits() {
        return limits;
    }

    ChunkPublisher publisher() {
        return publisher;
    }

    CallRegistry registry() {
        return registry;
    }

    /**
     * Starts a call. Its first sample is at the wall-clock time of this call.
     *
     * @param onUndeliverable told once, with one sentence, when Kafka refuses a chunk of the call; the protocol
     *                        then closes the connection with its own error message. Called on a thread of its
     *                        own, so it may wait for the protocol's locks.
     * @throws CallRefusedException with one sentence: the id is streaming or has been streamed, or the process
     *                              is at its limit of calls at once
     */
    public LiveCall open(CallFormat format, Consumer<String> onUndeliverable) throws CallRefusedException {
        String refusal = registry.start(format.callId(), limits.maxCalls());
        if (refusal != null) {
            refused.incrementAndGet();
            throw new CallRefusedException(refusal, registry.hasEnded(format.callId()));
        }
        started.incrementAndGet();
        LiveCall call = new LiveCall(this, format, onUndeliverable, System.currentTimeMillis());
        synchronized (open) {
            open.add(call);
        }
        return call;
    }

    /**
     * Registers a call of emostream's own protocol, which cuts its chunks itself: counted like the others; returns
     * why it cannot start, or null.
     */
    String register(String callId) {
        String refusal = registry.start(callId, limits.maxCalls());
        (refusal == null ? started : refused).incrementAndGet();
        return refusal;
    }

    /** Called by a call when its end has been published. */
    void ended(LiveCall call) {
        synchronized (open) {
            open.remove(call);
        }
        registry.end(call.format().callId());
    }

    /**
     * Called on a Kafka thread: counts and logs, then tells the protocol on a thread of its own, since the
     * protocol's handler may hold locks while it waits in the producer for the very thread that tells it.
     */
    void undeliverable(LiveCall call, String reason, Consumer<String> protocol) {
        undeliverable.incrementAndGet();
        LOG.error("Live call {} ({}) could not be delivered to Kafka and is being closed: {}", call.format().callId(),
                call.format().source(), reason);
        callbacks.execute(() -> protocol.accept("emostream could not deliver this call's audio to Kafka (" + reason + ")"));
    }

    public Stats stats() {
        return new Stats(registry.activeCount(), started.get(), refused.get(), undeliverable.get());
    }

    /** Ends every call still open (end-of-stream on each channel); the protocols close their connections. */
    @Override
    public void close() {
        List<LiveCall> remaining;
        synchronized (open) {
            remaining = new ArrayList<>(open);
        }
        remaining.forEach(LiveCall::end);
        callbacks.shutdown();
    }
}
