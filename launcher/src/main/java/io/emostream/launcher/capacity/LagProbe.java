package io.emostream.launcher.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** The job's consumer lag on the audio topic, in time ({@link BenchCluster#lag}), once a second. */
final class LagProbe implements AutoCloseable {
    /** The lag at one moment. */
    record Sample(long atMs, long lagMs) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "emostream-bench-lag");
        thread.setDaemon(true);
        return thread;
    });

    private final LongSupplier lagMs;

    /** @param lagMs the job's lag now, -1 while unknown */
    LagProbe(LongSupplier lagMs) {
        this.lagMs = lagMs;
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        long lag = lagMs.getAsLong();
        if (lag >= 0) {
            synchronized (samples) {
                samples.add(new Sample(System.currentTimeMillis(), lag));
            }
        }
    }

    List<Sample> between(long fromMs, long toMs) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.atMs() >= fromMs && s.atMs() < toMs).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
