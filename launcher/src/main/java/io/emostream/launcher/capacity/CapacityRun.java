package io.emostream.launcher.capacity;

import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.job.EmotionJob;
import io.emostream.job.JobConfig;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.segment.SegmentOperator;
import io.emostream.launcher.LocalFlink;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One capacity measurement: the real job on a local Flink cluster ({@link LocalFlink}) reading N live streams paced at real time
 * from Kafka, measured after a warm-up. Each run gets topics and a consumer group of its own, so runs never see
 * each other's records.
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
     * Runs the job on {@code cluster} with {@code streams} live streams for the settings' length, then cancels it.
     * Where the job runs in another process, its CPU and heap are not measured (NaN and -1).
     */
    public static CapacityResult measure(Settings settings, int streams, BenchCluster cluster) throws Exception {
        String run = "bench." + ProcessHandle.current().pid() + "." + RUNS.incrementAndGet();
        String audio = run + ".audio";
        String events = run + ".events";
        String dead = run + ".dead";
        createTopics(settings.bootstrap(), audio, events, dead);
        JobConfig config = JobConfig.defaults(settings.bootstrap()).withTopics(audio, dead).withEventsTopic(events)
                .withGroupId(run).withGuarantee(settings.guarantee()).withAsr(settings.asr()).withModel(settings.model())
                .withVadBatching(settings.vadBatching());
        StreamExecutionEnvironment env = cluster.environment();
        EmotionJob.build(env, config);
        JobClient job = cluster.submit(env, "emostream capacity benchmark, " + streams + " streams");
        StageCpu cpu = new StageCpu();
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(settings.bootstrap(), audio));
             EventProbe eventProbe = new EventProbe(settings.bootstrap(), events,
                     settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE);
             LagProbe lagProbe = new LagProbe(cluster.lag(job));
             LiveLoad load = new LiveLoad(publisher, settings.speech(), streams, settings.chunkMs(), "bench-call", settings.seed())) {
            long heapBefore = cluster.inThisProcess() ? heapAfterCollection() : 0;
            load.start();
            Thread.sleep(settings.warmUp().toMillis());
            failIfEnded(job);
            StageCpu.Snapshot cpuBefore = cpu.snapshot();
            long gcBefore = gcMillis();
            long lateBefore = load.lateTicks();
            long errorsBefore = load.sendErrors();
            long chunksBefore = load.chunksSent();
            long from = System.currentTimeMillis();
            Thread.sleep(settings.length().minus(settings.warmUp()).toMillis());
            long to = System.currentTimeMillis();
            StageCpu.Snapshot cpuAfter = cpu.snapshot();
            long gcPause = gcMillis() - gcBefore;
            long late = load.lateTicks() - lateBefore;
            double audioSeconds = (load.chunksSent() - chunksBefore) * settings.chunkMs() / 1000.0;
            failIfEnded(job);
            long heapPerStream = cluster.inThisProcess() ? Math.max(0, heapAfterCollection() - heapBefore) / streams : -1;
            CapacityResult result = result(streams, eventProbe.between(from, to), lagProbe.between(from, to), cpuBefore, cpuAfter,
                    (to - from) / 1000.0, audioSeconds, heapPerStream, gcPause, late, load.sendErrors() - errorsBefore);
            return cluster.inThisProcess() ? result : result.withJobElsewhere();
        } finally {
            stop(job);
            deleteTopics(settings.bootstrap(), audio, events, dead);
        }
    }

    /** What a cluster for {@link #measure} needs in its configuration: the reporter the lag is read from. */
    public static Configuration clusterConfiguration() {
        Configuration conf = new Configuration();
        conf.setString("metrics.reporter." + SourceLag.REPORTER + ".factory.class", SourceLag.Factory.class.getName());
        return conf;
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
