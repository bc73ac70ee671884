package io.emostream.launcher;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT, SIGTERM) for a command that does its work on the main thread: the JVM's shutdown hook asks the
 * work to stop, then waits, at most {@code grace}, until the command has closed this, i.e. finished cleanly. Closing
 * it when the work ends by itself removes the hook.
 */
final class CtrlC implements AutoCloseable {
    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);

    private CtrlC(String name, Runnable requestStop, Duration grace, Runnable afterwards) {
        this.hook = new Thread(() -> {
            requestStop.run();
            try {
                finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            afterwards.run();
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Ctrl-C runs {@code requestStop}, and the JVM ends once the command has closed this (or after {@code grace}). */
    static CtrlC stops(String name, Runnable requestStop, Duration grace) {
        return new CtrlC(name, requestStop, grace, () -> { });
    }

    /** The same, running {@code afterwards} in the hook once the command has finished, before the JVM ends. */
    static CtrlC stops(String name, Runnable requestStop, Duration grace, Runnable afterwards) {
        return new CtrlC(name, requestStop, grace, afterwards);
    }

    @Override
    public void close() {
        finished.countDown();
        removeHook(hook);
    }

    /** Removes a shutdown hook, unless the JVM is already stopping and running it. */
    static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running and does the stopping itself.
        }
    }
}
