package io.emostream.launcher.capacity;

import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.job.EmotionJob;
import io.emostream.job.JobConfig;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.segment.SegmentOperator;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Capacity measurements: the real job on a Flink cluster ({@link BenchCluster}: a local one in this process, or
 * another) reading N live streams paced at real time from Kafka, measured after a warm-up. Each {@link Job} gets
 * topics and a consumer group of its own; its loads run one after another, each with call ids of its own.
 *
 * <p>The job kept up (sustained) when its consumer lag (how long ago the chunk its Kafka source last handed on was produced) stayed
 * under {@link #MAX_LAG} and grew by less than {@link #MAX_LAG_GROWTH} ms per second over the second half of the
 * measurement (a least-squares slope): a job that falls behind shows a lag that rises steadily. The job runs as
 * configured by default (checkpoints every 10 s, at-least-once unless asked otherwise).
 */
public final class CapacityRun {
    public static final Duration MAX_LAG = Duration.ofSeconds(2);
    public static final double MAX_LAG_GROWTH = 20;
    private static final int PARTITIONS = 12;
    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * @param speech      16 kHz mono speech the streams loop over
     * @param vadBatching as the job runs it, or {@code new Batching(1, 0)}: one stream per VAD call
     */
    public record Settings(String bootstrap, DeliveryGuarantee guarantee, TranscribeUtterances.Settings asr, String model,
                           float[] speech, long chunkMs, Duration length, Duration warmUp, long seed,
                           SegmentOperator.Batching vadBatching) {
        public Settings withVadBatching(SegmentOperator.Batching batching) {
            return new Settings(bootstrap, guarantee, asr, model, speech, chunkMs, length, warmUp, seed, batching);
        }

        public Settings withLength(Duration runLength, Duration runWarmUp) {
            return new Settings(bootstrap, guarantee, asr, model, speech, chunkMs, runLength, runWarmUp, seed, vadBatching);
        }
    }

    private CapacityRun() {
    }

    /**
     * One job on the cluster and the loads run against it one after another, as call volume changes under a job
     * that keeps running: only the first load meets a job (and JVM) that has just started. The job's topics and
     * probes live as long as it does.
     */
    public static final class Job implements AutoCloseable {
        /** How long a job that fell behind may take to read the audio of a load that has stopped. */
        private static final int CATCH_UP_MINUTES = 5;

        private final Settings settings;
        private final BenchCluster cluster;
        private final String run;
        private final String audio;
        private final String events;
        private final String ends;
        private final String dead;
        private final JobClient job;
        private final ChunkPublisher publisher;
        private final EventProbe eventProbe;
        private final LagProbe lagProbe;
        private final StageCpu cpu = new StageCpu();
        private int loads;
        private boolean behind;

        private Job(Settings settings, BenchCluster cluster, String run, JobClient job, ChunkPublisher publisher,
                    EventProbe eventProbe, LagProbe lagProbe) {
            this.settings = settings;
            this.cluster = cluster;
            this.run = run;
            this.audio = run + ".audio";
            this.events = run + ".events";
            this.ends = run + ".ends";
            this.dead = run + ".dead";
            this.job = job;
            this.publisher = publisher;
            this.eventProbe = eventProbe;
            this.lagProbe = lagProbe;
        }

        /** Creates the job's topics and submits it to {@code cluster}. */
        public static Job start(Settings settings, BenchCluster cluster) throws Exception {
            String run = "bench." + ProcessHandle.current().pid() + "." + RUNS.incrementAndGet();
            String audio = run + ".audio";
            String events = run + ".events";
            String ends = run + ".ends";
            String dead = run + ".dead";
            createTopics(settings.bootstrap(), audio, events, ends, dead);
            JobClient job = null;
            ChunkPublisher publisher = null;
            EventProbe eventProbe = null;
            try {
                JobConfig config = JobConfig.defaults(settings.bootstrap()).withTopics(audio, dead).withEventsTopic(events)
                        .withStreamEndsTopic(ends).withGroupId(run).withGuarantee(settings.guarantee())
                        .withAsr(settings.asr()).withModel(settings.model()).withVadBatching(settings.vadBatching());
                StreamExecutionEnvironment env = cluster.environment();
                EmotionJob.build(env, config);
                job = cluster.submit(env, "emostream capacity benchmark");
                publisher = ChunkPublisher.open(KafkaSettings.of(settings.bootstrap(), audio));
                eventProbe = new EventProbe(settings.bootstrap(), events, settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE);
                return new Job(settings, cluster, run, job, publisher, eventProbe, new LagProbe(cluster.lag(job)));
            } catch (Exception | Error e) {
                closeQuietly(eventProbe);
                closeQuietly(publisher);
                if (job != null) {
                    stop(job);
                }
                deleteTopics(settings.bootstrap(), audio, events, ends, dead);
                throw e;
            }
        }

        /**
         * Runs {@code streams} live streams for the settings' length, measures after the warm-up, ends the streams,
         * and waits until the job has read all their audio, so that the next load starts from a job that kept up.
         * Where the job runs in another process, its CPU and heap are not measured (NaN and -1).
         */
        public CapacityResult measure(int streams) throws Exception {
            return measure(streams, settings);
        }

        /** A load whose figures are not wanted: {@code length} of {@code streams}, measured as little as possible. */
        public void warmUp(int streams, Duration length) throws Exception {
            measure(streams, settings.withLength(length, length.minusSeconds(1)));
        }

        private CapacityResult measure(int streams, Settings timing) throws Exception {
            if (behind) {
                throw new IllegalStateException("A load was started on a job still behind with the one before");
            }
            failIfEnded(job);
            long heapBefore = cluster.inThisProcess() ? heapAfterCollection() : 0;
            CapacityResult result;
            try (LiveLoad load = new LiveLoad(publisher, timing.speech(), streams, timing.chunkMs(),
                    "bench-" + (++loads), timing.seed())) {
                load.start();
                Thread.sleep(timing.warmUp().toMillis());
                failIfEnded(job);
                StageCpu.Snapshot cpuBefore = cpu.snapshot();
                long gcBefore = gcMillis();
                long lateBefore = load.lateTicks();
                long errorsBefore = load.sendErrors();
                long chunksBefore = load.chunksSent();
                long from = System.currentTimeMillis();
                Thread.sleep(timing.length().minus(timing.warmUp()).toMillis());
                long to = System.currentTimeMillis();
                StageCpu.Snapshot cpuAfter = cpu.snapshot();
                long gcPause = gcMillis() - gcBefore;
                long late = load.lateTicks() - lateBefore;
                double audioSeconds = (load.chunksSent() - chunksBefore) * timing.chunkMs() / 1000.0;
                failIfEnded(job);
                long heapPerStream = cluster.inThisProcess() ? Math.max(0, heapAfterCollection() - heapBefore) / streams : -1;
                result = result(streams, eventProbe.between(from, to), lagProbe.between(from, to), cpuBefore, cpuAfter,
                        (to - from) / 1000.0, audioSeconds, heapPerStream, gcPause, late, load.sendErrors() - errorsBefore);
                load.finish();
            }
            publisher.flush();
            behind = !caughtUp();
            return cluster.inThisProcess() ? result : result.withJobElsewhere();
        }

        /**
         * Whether the last load left the job behind: it had not read all its audio {@value #CATCH_UP_MINUTES} minutes
         * after the load stopped. No further load can then be measured on this job.
         */
        public boolean behind() {
            return behind;
        }

        /**
         * Waits until the job's committed offsets reach the end of the audio topic (offsets commit at checkpoints);
         * false when they have not {@value #CATCH_UP_MINUTES} minutes after the load stopped.
         */
        private boolean caughtUp() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(CATCH_UP_MINUTES);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap()))) {
                while (true) {
                    failIfEnded(job);
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(run)
                            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    for (int p = 0; p < PARTITIONS; p++) {
                        latest.put(new TopicPartition(audio, p), OffsetSpec.latest());
                    }
                    boolean caughtUp = true;
                    for (var end : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                        OffsetAndMetadata at = committed.get(end.getKey());
                        caughtUp &= end.getValue().offset() == 0 || (at != null && at.offset() >= end.getValue().offset());
                    }
                    if (caughtUp) {
                        return true;
                    }
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    Thread.sleep(1_000);
                }
            }
        }

        /** Cancels the job and deletes its topics. */
        @Override
        public void close() throws Exception {
            closeQuietly(lagProbe);
            closeQuietly(eventProbe);
            closeQuietly(publisher);
            try {
                stop(job);
            } finally {
                deleteTopics(settings.bootstrap(), audio, events, ends, dead);
            }
        }

        private static void closeQuietly(AutoCloseable closeable) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // Closing a probe or the producer must not hide why the run ended.
                }
            }
        }
    }

    /** Cancels the job unless it has ended already (then its local cluster is gone, and with it the job's failure is known). */
    private static void stop(JobClient job) throws Exception {
        try {
            if (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.ExecutionException | IllegalStateException ended) {
            // The local cluster shut down with the job: nothing is left to cancel.
        }
    }

    static CapacityResult result(int streams, List<EventProbe.Seen> seen, List<LagProbe.Sample> lag,
                                 StageCpu.Snapshot cpuBefore, StageCpu.Snapshot cpuAfter, double seconds, double audioSeconds,
                                 long heapPerStream, long gcPauseMs, long lateTicks, long sendErrors) {
        long[] fromVad = seen.stream().mapToLong(EventProbe.Seen::fromVadEndMs).sorted().toArray();
        long[] fromChunk = seen.stream().mapToLong(EventProbe.Seen::fromLastChunkMs).sorted().toArray();
        long[] inJob = seen.stream().mapToLong(EventProbe.Seen::inJobMs).sorted().toArray();
        long maxLag = lag.stream().mapToLong(LagProbe.Sample::lagMs).max().orElse(Long.MAX_VALUE);
        double growth = growth(lag);
        Map<String, Double> stages = new LinkedHashMap<>();
        double jobCpu = 0;
        for (var stage : StageCpu.secondsBetween(cpuBefore, cpuAfter).entrySet()) {
            stages.put(stage.getKey(), stage.getValue() / audioSeconds);
            if (!stage.getKey().equals(StageCpu.OUTSIDE) && !stage.getKey().startsWith("JVM: ")) {
                jobCpu += stage.getValue();
            }
        }
        double processCpu = (cpuAfter.processCpuNanos() - cpuBefore.processCpuNanos()) / 1e9;
        // The load must have been delivered as paced, or a job that receives less could look as if it kept up.
        boolean sustained = fromVad.length > 0 && !lag.isEmpty() && maxLag <= MAX_LAG.toMillis() && growth <= MAX_LAG_GROWTH
                && lateTicks == 0 && sendErrors == 0 && audioSeconds > 0;
        audioSeconds = Math.max(audioSeconds, 1e-9);
        return new CapacityResult(streams, sustained, fromVad.length, seconds,
                percentile(fromVad, 50), percentile(fromVad, 95), percentile(fromVad, 99), percentile(fromVad, 100),
                percentile(fromChunk, 50), percentile(fromChunk, 95), percentile(fromChunk, 99), percentile(fromChunk, 100),
                percentile(inJob, 50), percentile(inJob, 99),
                maxLag == Long.MAX_VALUE ? -1 : maxLag, growth, jobCpu / audioSeconds, stages, processCpu / audioSeconds,
                heapPerStream, gcPauseMs, lateTicks, sendErrors, audioSeconds);
    }

    /** Nearest rank; -1 when there is nothing to rank. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Least-squares slope of the lag over the second half of the samples, in ms of lag per second. */
    static double growth(List<LagProbe.Sample> lag) {
        List<LagProbe.Sample> late = lag.subList(lag.size() / 2, lag.size());
        if (late.size() < 3) {
            return 0;
        }
        double meanT = late.stream().mapToDouble(s -> s.atMs() / 1000.0).average().orElseThrow();
        double meanL = late.stream().mapToDouble(LagProbe.Sample::lagMs).average().orElseThrow();
        double num = 0;
        double den = 0;
        for (LagProbe.Sample s : late) {
            double dt = s.atMs() / 1000.0 - meanT;
            num += dt * (s.lagMs() - meanL);
            den += dt * dt;
        }
        return den == 0 ? 0 : num / den;
    }

    private static void createTopics(String bootstrap, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(Arrays.stream(topics).map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A run's topics go with it, so runs against a real cluster leave nothing behind. */
    private static void deleteTopics(String bootstrap, String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(List.of(topics)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("bench: the topics " + String.join(", ", topics) + " could not be deleted (" + e.getMessage()
                    + "); delete them by hand.");
        }
    }

    private static void failIfEnded(JobClient job) throws Exception {
        var result = job.getJobExecutionResult();
        if (result.isDone()) {
            result.get();
            throw new IllegalStateException("The job finished during the benchmark, which a live job never does");
        }
    }

    private static long heapAfterCollection() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }
}
