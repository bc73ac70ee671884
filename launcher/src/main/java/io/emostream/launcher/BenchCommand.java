package io.emostream.launcher;

import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.segment.SegmentOperator;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.launcher.capacity.BenchCluster;
import io.emostream.launcher.capacity.CapacityReport;
import io.emostream.launcher.capacity.CapacityResult;
import io.emostream.launcher.capacity.CapacityRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion bench}: how many live calls this machine carries. The real pipeline (embedded broker or
 * {@code --bootstrap}, the job on a local Flink cluster) fed N live streams paced at real time; the subcommands
 * measure ingest and the job's stages on their own.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure how many live streams this machine carries through the real pipeline.",
            "An embedded broker or --bootstrap, the job on a local Flink cluster or --jobmanager, fed N live 16 kHz"
                + " streams paced at real time, each from a random point of the sample speech, one load after another"
                + " through the same job. Prints whether the load was sustained (consumer lag bounded and not"
                + " growing), end-to-end latency percentiles, CPU per audio second per stage, heap per stream and GC"
                + " time; then the same load with the VAD run one stream per call, as a ratio.",
            "`bench ingest` measures ingest throughput into Kafka, `bench stages` the CPU cost of each stage alone,"
                + " `bench decode` the CPU cost of decoding media files, `bench streams` how many live Icecast streams one"
                + " ingest process follows."},
        subcommands = {BenchIngestCommand.class, BenchStagesCommand.class, BenchAudioHookCommand.class, BenchDecodeCommand.class,
            BenchStreamsCommand.class})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--streams", defaultValue = "100", paramLabel = "N",
            description = "Concurrent live streams (default: ${DEFAULT-VALUE}); with --find-max, where the search starts.")
    int streams;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "S",
            description = "Length of each load, its warm-up included (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "20", paramLabel = "S",
            description = "Seconds at the start of each run that are not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--guarantee", defaultValue = "at-least-once", paramLabel = "at-least-once|exactly-once",
            description = "Delivery guarantee of the events sink (default: ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--asr", defaultValue = "none", paramLabel = "none|sphinx|whisper:PATH",
            description = "Speech recognition (default: ${DEFAULT-VALUE}).")
    String asr;

    @Option(names = "--model", defaultValue = "cue", paramLabel = "MODEL", description = Options.MODEL_HELP)
    String model;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Use this Kafka instead of an embedded broker (topics bench.* are created per run).")
    String bootstrap;

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT",
            description = "Run the job on this Flink cluster (its REST endpoint) instead of a local one; its TaskManagers must"
                    + " reach Kafka (see --bootstrap). The job's CPU and heap are then the cluster's to measure.")
    String jobManager;

    @Option(names = "--job-jar", paramLabel = "JAR",
            description = "With --jobmanager: the job jar to submit (default: inference-job/target/emostream-job.jar of this build).")
    Path jobJar;

    @Option(names = "--find-max", description = "Double N from --streams until the load is not sustained, then halve the gap"
            + " to within 10%%; report the most streams sustained.")
    boolean findMax;

    @Option(names = "--vad-compare", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "After the runs, measure the most streams sustained again with the VAD run one stream per call,"
                    + " and print the CPU ratio (default: on; --no-vad-compare skips it).")
    boolean vadCompare;

    @Option(names = "--jvm-warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Before the first measured load, run the job for --jvm-warmup-seconds at half the streams and"
                    + " discard the figures, so that the JIT has compiled the hot code, as in a job that has been running"
                    + " (default: on; --no-jvm-warmup measures a job that has just started).")
    boolean jvmWarmup;

    /** On two busy cores the JIT compiler is still at work minutes after a job starts (docs/benchmarks.md). */
    @Option(names = "--jvm-warmup-seconds", defaultValue = "180", paramLabel = "S",
            description = "Length of the warm-up load (default: ${DEFAULT-VALUE}).")
    int jvmWarmupSeconds;

    @Option(names = "--speech", paramLabel = "WAV", defaultValue = "fixtures/audio/podcast-mono-16k.wav",
            description = "16 kHz mono speech the streams loop over (default: ${DEFAULT-VALUE}).")
    Path speech;

    @Option(names = "--chunk-ms", defaultValue = "100", description = "Chunk length each stream sends (default: ${DEFAULT-VALUE}).")
    int chunkMs;

    @Option(names = "--seed", defaultValue = "7", description = "Seed for the streams' starting points (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--plot", paramLabel = "OUT.svg", description = "Also draw latency and lag against N as SVG.")
    Path plot;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (streams < 1 || seconds < 2 || warmup < 0 || warmup >= seconds || chunkMs < 10 || jvmWarmupSeconds < 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--streams must be at least 1, --warmup at least 0"
                    + " and below --seconds, --jvm-warmup-seconds at least 2, and --chunk-ms at least 10.");
        }
        RemoteFlink remote = jobManager == null ? null : RemoteFlink.of(spec, jobManager, jobJar);
        DeliveryGuarantee delivery = switch (guarantee) {
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--guarantee is at-least-once or exactly-once, not '" + guarantee + "'.");
        };
        TranscribeUtterances.Settings recognizer = Options.speechRecognition(spec, asr, TranscribeUtterances.Settings.off().timeout());
        String emotionModel = Options.emotionModel(spec, model);
        float[] samples = SpeechFile.read16kMono("--speech", speech);
        for (Path out : new Path[] {json, plot}) {
            if (out != null && out.toAbsolutePath().getParent() != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
                throw new CommandLine.ParameterException(spec.commandLine(), out + ": its directory does not exist.");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        int cores = Runtime.getRuntime().availableProcessors();
        String where = remote == null ? String.format(Locale.ROOT, "on %d cores, %s heap", cores, bytes(Runtime.getRuntime().maxMemory()))
                : "of the Flink cluster at " + jobManager + " (load from " + cores + " cores here)";
        out.printf(Locale.ROOT, "Capacity %s: %d s loads (%d s warm-up each), %s, ASR %s, model %s, %d ms chunks%n",
                where, seconds, warmup, guarantee, asr, emotionModel, chunkMs);
        out.flush();
        EmbeddedKafka kafka = bootstrap == null ? EmbeddedKafka.builder().start() : null;
        // One cluster and one job for every load, as a TaskManager and a job that stay up while call volume changes.
        try (BenchCluster cluster = remote == null ? BenchCluster.local() : BenchCluster.remote(remote)) {
            CapacityRun.Settings settings = new CapacityRun.Settings(kafka != null ? kafka.bootstrapServers() : bootstrap,
                    delivery, recognizer, emotionModel, samples, chunkMs, Duration.ofSeconds(seconds), Duration.ofSeconds(warmup),
                    seed, SegmentOperator.Batching.defaults());
            List<CapacityResult> results;
            try (CapacityRun.Job job = CapacityRun.Job.start(settings, cluster)) {
                warmUp(job, out);
                results = findMax ? search(job, out) : List.of(run(job, streams, out));
            }
            CapacityResult best = results.stream().filter(CapacityResult::sustained)
                    .reduce((a, b) -> b.streams() > a.streams() ? b : a).orElse(null);
            out.println();
            out.print(CapacityReport.markdown(results));
            CapacityResult detailed = best != null ? best : results.get(results.size() - 1);
            out.println();
            out.print(CapacityReport.stages(detailed));
            Double vadRatio = null;
            if (vadCompare && remote != null) {
                out.println("\nThe VAD comparison reads the job's CPU per stage, which only a local job shows: left out with --jobmanager.");
            } else if (vadCompare) {
                vadRatio = compareVad(settings, cluster, detailed, out);
            }
            if (findMax) {
                out.printf("%nMost streams sustained: %s%n", best == null ? "none (even " + streams + " was too many)" : best.streams());
            }
            if (json != null) {
                CapacityReport.writeJson(json, results, vadRatio, setting(cores));
                out.println("Wrote " + json);
            }
            if (plot != null) {
                Files.writeString(plot, CapacityReport.svg(results));
                out.println("Wrote " + plot);
            }
            out.flush();
            return 0;
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    /** A first load at half the streams, not counted: the job (and the JVM, for a local one) has just started. */
    private void warmUp(CapacityRun.Job job, PrintWriter out) throws Exception {
        if (jvmWarmup) {
            int half = Math.max(1, streams / 2);
            out.printf(Locale.ROOT, "Warming up the job: %d s at %d streams, not counted ...", jvmWarmupSeconds, half);
            out.flush();
            job.warmUp(half, Duration.ofSeconds(jvmWarmupSeconds));
            if (job.behind()) {
                throw new EmotionCli.UserException("The job had not read all the audio of the warm-up load (" + half
                        + " streams) minutes after it stopped; start lower with --streams.");
            }
            out.println(" done");
        }
    }

    private CapacityResult run(CapacityRun.Job job, int n, PrintWriter out) throws Exception {
        out.printf(Locale.ROOT, "%d streams ...", n);
        out.flush();
        CapacityResult result = job.measure(n);
        out.printf(Locale.ROOT, " %s: p99 %d ms, max lag %d ms, CPU-s per audio-s %.4f in the job's tasks, %.4f in the whole process%n",
                result.sustained() ? "sustained" : "NOT sustained", result.p99Ms(), result.maxLagMs(), result.cpuSecondsPerAudioSecond(),
                result.processCpuPerAudioSecond());
        out.flush();
        return result;
    }

    /** The search stops here: far beyond what one machine's job carries, and within the load generator's reach. */
    private static final int MAX_STREAMS = 8192;

    /** Doubles until the load is not sustained, then bisects until the gap is within 10 % of the lower bound. */
    private List<CapacityResult> search(CapacityRun.Job job, PrintWriter out) throws Exception {
        List<CapacityResult> results = new ArrayList<>();
        int low = 0;
        int high = -1;
        for (int n = streams; high < 0; n = Math.min(MAX_STREAMS, n * 2)) {
            CapacityResult result = run(job, n, out);
            results.add(result);
            if (stopsHere(job, out)) {
                return results;
            }
            if (result.sustained()) {
                low = n;
                if (n == MAX_STREAMS) {
                    out.printf("Stopping at %d streams, the most this benchmark drives.%n", MAX_STREAMS);
                    return results;
                }
            } else {
                high = n;
            }
        }
        while (high - low > Math.max(1, low / 10)) {
            int n = (low + high) / 2;
            CapacityResult result = run(job, n, out);
            results.add(result);
            if (stopsHere(job, out)) {
                return results;
            }
            if (result.sustained()) {
                low = n;
            } else {
                high = n;
            }
        }
        return results;
    }

    /** A job left behind by a load cannot measure the next one from a standing start. */
    private static boolean stopsHere(CapacityRun.Job job, PrintWriter out) {
        if (job.behind()) {
            out.println("The job had not read all the audio of that load minutes after it stopped: the search stops here.");
            out.flush();
        }
        return job.behind();
    }

    /** The VAD stage's CPU per audio second, batched across streams as the job runs it vs one stream per call. */
    private Double compareVad(CapacityRun.Settings settings, BenchCluster cluster, CapacityResult batched, PrintWriter out)
            throws Exception {
        out.printf("%nThe same %d streams with the VAD run one stream per call, in a job of its own:%n", batched.streams());
        CapacityResult perStream;
        try (CapacityRun.Job job = CapacityRun.Job.start(settings.withVadBatching(new SegmentOperator.Batching(1, 0)), cluster)) {
            warmUp(job, out);
            perStream = run(job, batched.streams(), out);
        }
        Double batchedCpu = segmentCpu(batched);
        Double perStreamCpu = segmentCpu(perStream);
        if (batchedCpu == null || perStreamCpu == null || batchedCpu <= 0) {
            out.println("The VAD stage's threads were not found; no ratio.");
            return null;
        }
        double ratio = perStreamCpu / batchedCpu;
        out.printf(Locale.ROOT, "VAD stage CPU-s per audio-s: batched %.5f, one stream per call %.5f: batched is %.2f× cheaper%n",
                batchedCpu, perStreamCpu, ratio);
        return ratio;
    }

    /** The segmentation task's CPU: its threads are named after EmotionJob's "segment utterances" operator (and what is chained to it). */
    private static Double segmentCpu(CapacityResult result) {
        return result.stageCpuPerAudioSecond().entrySet().stream().filter(stage -> stage.getKey().startsWith("segment utterances"))
                .map(Map.Entry::getValue).reduce(Double::sum).orElse(null);
    }

    private Map<String, Object> setting(int cores) {
        Map<String, Object> setting = new LinkedHashMap<>();
        setting.put("cores", cores);
        setting.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        setting.put("seconds", seconds);
        setting.put("warmupSeconds", warmup);
        setting.put("jvmWarmupSeconds", jvmWarmup ? jvmWarmupSeconds : 0);
        setting.put("guarantee", guarantee);
        setting.put("asr", asr);
        setting.put("model", model);
        setting.put("chunkMs", chunkMs);
        setting.put("speech", speech.toString());
        setting.put("maxLagMs", CapacityRun.MAX_LAG.toMillis());
        setting.put("maxLagGrowthMsPerS", CapacityRun.MAX_LAG_GROWTH);
        setting.put("broker", bootstrap == null ? "embedded" : bootstrap);
        setting.put("flink", jobManager == null ? "local, in this process" : jobManager);
        return setting;
    }

    private static String bytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
}
