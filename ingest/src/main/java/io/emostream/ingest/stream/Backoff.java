package io.emostream.ingest.stream;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits between attempts to reach a source again: 1 s, then twice as long each time up to a ceiling, so a server
 * that is restarting is found soon and one that is down is not hammered. Gives up once the attempts have gone on
 * for longer than allowed. Waits end early on a stop request.
 */
final class Backoff {
    private final Duration ceiling;
    private final Duration giveUpAfter;
    private final BooleanSupplier stopRequested;
    private final long startNanos = System.nanoTime();
    private Duration next;

    Backoff(Duration first, Duration ceiling, Duration giveUpAfter, BooleanSupplier stopRequested) {
        this.ceiling = ceiling;
        this.giveUpAfter = giveUpAfter;
        this.stopRequested = stopRequested;
        this.next = first;
    }

    /** Waits before the next attempt; false when it is time to give up, or a stop was requested. */
    boolean await() throws InterruptedException {
        long deadline = System.nanoTime() + next.toNanos();
        if (elapsed().plus(next).compareTo(giveUpAfter) > 0) {
            return false;
        }
        while (System.nanoTime() < deadline) {
            if (stopRequested.getAsBoolean()) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(100, (deadline - System.nanoTime()) / 1_000_000)));
        }
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(ceiling) > 0 ? ceiling : doubled;
        return !stopRequested.getAsBoolean();
    }

    /** How long the attempts have gone on. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
