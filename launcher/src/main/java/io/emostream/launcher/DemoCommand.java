package io.emostream.launcher;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.chunk.SpeakerRoles;
import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.feed.FeedIngest;
import io.emostream.ingest.stream.UrlIngest;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.media.MediaFiles;
import io.emostream.job.EmotionJob;
import io.emostream.job.JobConfig;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.Topics;
import io.emostream.sinks.SinksApp;
import io.emostream.sinks.SinksConfig;
import io.emostream.sinks.calls.AlertRules;
import io.emostream.sinks.dashboard.Dashboard;
import io.emostream.sinks.dashboard.DashboardServer;
import io.emostream.sinks.dashboard.LiveFeed;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole pipeline in one JVM: Kafka, the Flink job, the Streams application and the dashboard, with sample
 * calls (or the user's files) replayed at real time in a loop. Ctrl-C stops everything, calls first.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole pipeline on the embedded default and watch it on the dashboard.",
            "An embedded Kafka broker, the Flink job on a local cluster, the Streams application and the dashboard run"
                + " in this process, with three sample calls (an escalating customer call, a calm call, a podcast"
                + " excerpt) replayed at real time in a loop. Ctrl-C stops everything."},
        footer = {"", "Examples:",
            "  bin/emotion demo",
            "  bin/emotion demo --input recordings/ --roles agent,customer",
            "  bin/emotion demo --listen 8090          # also take live calls over WebSocket"})
final class DemoCommand implements Callable<Integer> {
    /** The bundled samples: file, roles of its channels, who speaks and the series. */
    private record Sample(String file, List<SpeakerRole> roles, CallIdentity identity) {
    }

    private static final List<Sample> SAMPLES = List.of(
            new Sample("call-escalating.wav", List.of(SpeakerRole.AGENT, SpeakerRole.CUSTOMER), CallIdentity.parse("sam,", "billing")),
            new Sample("call-calm.wav", List.of(SpeakerRole.AGENT, SpeakerRole.CUSTOMER), CallIdentity.parse("alex,", "billing")),
            new Sample("podcast-excerpt.wav", List.of(SpeakerRole.HOST, SpeakerRole.GUEST), CallIdentity.parse("dana,kim", "robot-kitchen")));
    private static final String SAMPLE_RESOURCES = "io/emostream/launcher/demo/";
    private static final int PARTITIONS = 4;
    /** Audio per chunk of live calls, as `ingest` sends by default. */
    private static final int LIVE_CHUNK_MS = 100;

    @Option(names = "--input", paramLabel = "FILE|DIR", split = ",",
            description = "Replay these recordings (WAV, MP3, M4A, Ogg/Opus, FLAC, video…; or those in these folders) instead of the samples.")
    List<Path> inputs;

    @Option(names = "--roles", paramLabel = "ROLE,...", defaultValue = "",
            description = "With --input, --url or --feed: role of channel 0, 1, ...: agent, customer, host, guest, unknown.")
    String roles;

    @Option(names = "--speakers", paramLabel = "NAME,...",
            description = "With --input, --url or --feed: who speaks on channel 0, 1, ... (agent ids, host names; empty: unknown).")
    String speakers;

    @Option(names = "--series", paramLabel = "NAME", description = "With --input, --url or --feed: the show, queue or campaign (a feed names its show itself).")
    String series;

    @CommandLine.Mixin
    UrlOptions url;

    @CommandLine.Mixin
    FeedOptions feed;

    @Option(names = "--once", description = "Replay once instead of in a loop; the pipeline keeps running until Ctrl-C.")
    boolean once;

    @CommandLine.Mixin
    DashboardOptions dashboardOptions;

    @Option(names = "--asr", defaultValue = "none", paramLabel = "none|sphinx|whisper:PATH",
            description = "Speech recognition, as for analyze (default: ${DEFAULT-VALUE}).")
    String asr;

    @Option(names = "--model", defaultValue = "cue", paramLabel = "MODEL", description = Options.MODEL_HELP)
    String model;

    @Option(names = "--listen", paramLabel = "PORT",
            description = "Also accept live calls on this port (localhost), as `ingest --listen` does: emostream's WebSocket,"
                    + " Genesys AudioHook, Twilio Media Streams.")
    Integer listenPort;

    @CommandLine.Mixin
    LiveOptions live;

    @CommandLine.Mixin
    AnalysisOptions analysisOptions;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Use this Kafka instead of an embedded broker; emostream's topics are created if missing.")
    String bootstrap;

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT",
            description = "Submit the job to this Flink cluster's REST endpoint instead of a local one; its TaskManagers must reach Kafka (see --bootstrap).")
    String jobManager;

    @Option(names = "--job-jar", paramLabel = "JAR",
            description = "With --jobmanager: the job jar to submit (default: inference-job/target/emostream-job.jar of this build).")
    Path jobJar;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AlertRules rules = dashboardOptions.rules(spec);
        String emotionModel = Options.emotionModel(spec, model);
        TranscribeUtterances.Settings speech = Options.speechRecognition(spec, asr, TranscribeUtterances.Settings.off().timeout());
        DashboardServer.Settings dashboardSettings = dashboardOptions.settings(spec, "emostream demo");
        requirePortFree(dashboardOptions.host, dashboardOptions.port, "--port");
        if (listenPort != null) {
            requirePortFree("127.0.0.1", listenPort, "--listen");
        }
        List<Replay> replays = replays();
        UrlIngest.Settings streams = url.given() ? url.settings(spec, true, true) : null;
        FeedIngest.Settings feedSettings = feed.given() ? feed.settings(spec) : null;
        PrintWriter out = spec.commandLine().getOut();

        Running running = new Running();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            running.stopAll();
            stopped.countDown();
        }, "emostream-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            String kafka = startKafka(running);
            JobConfig jobConfig = JobConfig.defaults(kafka).withGroupId("emostream-demo").withAsr(speech).withModel(emotionModel)
                    .withAnalysis(analysisOptions.settings(spec));
            JobClient job = jobManager == null ? startLocalJob(jobConfig) : submitJob(jobConfig);
            running.add(() -> job.cancel().get(30, TimeUnit.SECONDS));
            Path stateDir = Files.createTempDirectory("emostream-demo-sinks");
            // Stopped last first: the state directory goes after the application that uses it has closed.
            running.add(() -> deleteRecursively(stateDir));
            running.add(SinksApp.start(SinksConfig.defaults(kafka).withApplicationId("emostream-demo-sinks").withRules(rules), stateDir));
            Dashboard dashboard = running.add(startDashboard(kafka, dashboardSettings, rules));
            ChunkPublisher publisher = running.add(ChunkPublisher.open(KafkaSettings.of(kafka, Topics.AUDIO_CHUNKS)));
            running.add(publisher::flush);
            LiveEndpoints endpoints = running.add(LiveEndpoints.start(live, publisher, LIVE_CHUNK_MS, "127.0.0.1",
                    listenPort, null, true, false));
            replays.forEach(replay -> replay.start(publisher, once, spec.commandLine().getErr()));
            running.add(() -> replays.forEach(Replay::stop));
            out.printf("emostream demo: dashboard at %s%n", dashboard.url());
            if (!replays.isEmpty()) {
                out.printf("Replaying %d recording%s at real time%s. Ctrl-C stops everything.%n", replays.size(),
                        replays.size() == 1 ? "" : "s", once ? ", once" : " in a loop");
            }
            if (streams != null) {
                running.add(DemoSources.streams(url, streams, publisher, sourceOptions(), out));
                out.printf("Streaming %d URL%s into the pipeline. Ctrl-C stops everything.%n", url.urls.size(), url.urls.size() == 1 ? "" : "s");
            }
            if (feedSettings != null) {
                running.add(DemoSources.feed(feed, feedSettings, publisher, sourceOptions(), out, spec.commandLine().getErr()));
                out.printf("Playing the episodes of %s at real time%s. Ctrl-C stops everything.%n", feed.feed,
                        feed.follow ? ", and new ones as they appear" : "");
            }
            endpoints.print(out);
            stopped.await();
        } catch (InterruptedException e) {
            // Embedded (tests) rather than Ctrl-C: stop in the same order the hook would.
            CtrlC.removeHook(onInterrupt);
            running.stopAll();
        } catch (RuntimeException | IOException e) {
            CtrlC.removeHook(onInterrupt);
            running.stopAll();
            throw e;
        }
        return 0;
    }

    private String startKafka(Running running) {
        if (bootstrap != null) {
            for (String topic : Topics.ALL) {
                ChunkPublisher.ensureTopic(KafkaSettings.of(bootstrap, topic));
            }
            return bootstrap;
        }
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder();
        Topics.ALL.forEach(topic -> builder.topic(topic, PARTITIONS));
        EmbeddedKafka kafka = builder.start();
        running.add(kafka);
        return kafka.bootstrapServers();
    }

    /** The job on a remote cluster: the shaded job jar goes with it, since the cluster has only Flink. */
    private JobClient submitJob(JobConfig config) {
        RemoteFlink cluster = RemoteFlink.of(spec, jobManager, jobJar);
        StreamExecutionEnvironment env = cluster.environment();
        EmotionJob.build(env, config);
        return cluster.submit(env, "emostream demo");
    }

    private static JobClient startLocalJob(JobConfig config) throws Exception {
        StreamExecutionEnvironment env = LocalFlink.environment("fixed-delay");
        EmotionJob.build(env, config);
        return env.executeAsync("emostream demo");
    }

    private Dashboard startDashboard(String kafka, DashboardServer.Settings settings, AlertRules rules) {
        try {
            return Dashboard.start(kafka, LiveFeed.Topics.defaults(), settings, dashboardOptions.hideTranscripts, rules);
        } catch (IllegalStateException e) {
            throw new EmotionCli.UserException("--port: " + e.getMessage(), e);
        }
    }

    /** How streamed and feed audio is cut and labelled: real time, with --roles, --speakers and --series. */
    private FileIngest.Options sourceOptions() {
        try {
            return new FileIngest.Options(LIVE_CHUNK_MS, true, roles.isBlank() ? List.of() : SpeakerRoles.parse(roles), null,
                    CallIdentity.parse(speakers, series));
        } catch (InvalidInputException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--roles/--speakers/--series: " + e.getMessage() + ".");
        }
    }

    /** What to replay: the user's files, or the bundled samples copied out of the jar (none when URLs or a feed play). */
    private List<Replay> replays() throws IOException {
        if (inputs == null && (url.given() || feed.given())) {
            return List.of();
        }
        if (inputs == null) {
            Path dir = Files.createTempDirectory("emostream-demo-samples");
            dir.toFile().deleteOnExit();
            List<Replay> replays = new ArrayList<>();
            for (Sample sample : SAMPLES) {
                Path file = dir.resolve(sample.file());
                try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(SAMPLE_RESOURCES + sample.file())) {
                    if (in == null) {
                        throw new IllegalStateException("The sample " + sample.file() + " is missing from the build");
                    }
                    Files.copy(in, file);
                }
                file.toFile().deleteOnExit();
                replays.add(new Replay(file, sample.roles(), sample.identity()));
            }
            return replays;
        }
        List<SpeakerRole> roleList;
        CallIdentity identity;
        try {
            roleList = roles.isBlank() ? List.of() : SpeakerRoles.parse(roles);
            identity = CallIdentity.parse(speakers, series);
        } catch (InvalidInputException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--roles/--speakers/--series: " + e.getMessage() + ".");
        }
        List<Replay> replays = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                recordingsIn(input).forEach(f -> replays.add(new Replay(f, roleList, identity)));
            } else if (Files.isRegularFile(input)) {
                replays.add(new Replay(input, roleList, identity));
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(), "--input " + input + " is not a file or a folder.");
            }
        }
        if (replays.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--input holds no recordings (WAV, or any of "
                    + String.join(", ", new java.util.TreeSet<>(MediaFiles.EXTENSIONS)) + ").");
        }
        return replays;
    }

    /** The recordings in a folder that the demo replays: WAV and every format FFmpeg decodes for us, in name order. */
    static List<Path> recordingsIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(MediaFiles::isRecording).sorted().toList();
        }
    }

    /** Checked before anything starts, so a port in use costs a second, not a broker and a Flink cluster. */
    private static void requirePortFree(String host, int port, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new EmotionCli.UserException(option + ": port " + port + " on " + host
                    + " is in use; stop what holds it, or choose another port.", e);
        }
    }

    /**
     * What the demo has started, stopped last first; one part failing to stop does not keep the others running.
     * Ctrl-C may come while the demo is still starting: then whatever starts afterwards is stopped at once.
     */
    private static final class Running {
        private final List<AutoCloseable> parts = new ArrayList<>();
        private boolean stopping;

        synchronized <T extends AutoCloseable> T add(T part) {
            if (stopping) {
                close(part);
                throw new IllegalStateException("the demo is stopping");
            }
            parts.add(part);
            return part;
        }

        synchronized void stopAll() {
            stopping = true;
            for (int i = parts.size() - 1; i >= 0; i--) {
                close(parts.get(i));
            }
            parts.clear();
        }

        private static void close(AutoCloseable part) {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("demo: stopping " + part.getClass().getSimpleName() + " failed: " + e.getMessage());
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * One recording replayed at real time, over and over, each time as a new call ("name-1", "name-2", ...), so
     * the wallboard always has calls in progress.
     */
    private static final class Replay {
        private final Path file;
        private final List<SpeakerRole> roles;
        private final CallIdentity identity;
        private final List<FileIngest> ingesting = new CopyOnWriteArrayList<>();
        private Thread thread;
        private volatile boolean stopping;

        Replay(Path file, List<SpeakerRole> roles, CallIdentity identity) {
            this.file = file;
            this.roles = roles;
            this.identity = identity;
        }

        void start(ChunkPublisher publisher, boolean once, PrintWriter err) {
            String name = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            thread = new Thread(() -> {
                for (int round = 1; !stopping; round++) {
                    FileIngest ingest = new FileIngest(publisher, new FileIngest.Options(100, true, roles, name + "-" + round, identity), outcome -> {
                        if (outcome instanceof IngestOutcome.Rejected rejected) {
                            err.printf("demo: %s: %s%n", rejected.input(), rejected.reason());
                            err.flush();
                            stopping = true;
                        }
                    });
                    ingesting.add(ingest);
                    ingest.ingestPaths(List.of(file));
                    ingesting.remove(ingest);
                    if (once) {
                        return;
                    }
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "emostream-demo-replay-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Ends the call being replayed (its streams get their end marker) and the loop. */
        void stop() {
            stopping = true;
            ingesting.forEach(FileIngest::requestStop);
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
