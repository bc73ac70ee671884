package io.emostream.ingest.bench;

import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.media.DecodeBenchmark;
import io.emostream.ingest.stream.UrlIngest;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.kafka.AvroSerde;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How many live Icecast streams one ingest process follows at real time. An {@link IcyStation} in this JVM plays an
 * MP3 to N listeners at once; one {@link UrlIngest} follows them all, as {@code ingest --url ... --url ...} does (each
 * stream decoded by FFmpeg in a child JVM of its own), into Kafka, for a given length of audio each. Then it reads the
 * chunks back from the topic and measures, per stream, how late each chunk reached Kafka after the station began
 * sending its audio: a stream kept up when its lag at the end is small, and did not grow over the second half.
 */
public final class StreamCapacity {
    /** A stream kept up when its chunks of the last tenth reached Kafka within this of their audio being sent. */
    public static final double KEPT_UP_LAG_SECONDS = 2.0;

    /**
     * One stream: the audio it delivered, its median lag over the last tenth of its audio and how much that grew from
     * the middle tenth; {@code problem} is set (and the rest zero) when it delivered nothing.
     */
    public record Stream(String callId, double audioSeconds, double endLagSeconds, double lagGrowthSeconds, String problem) {
        public boolean keptUp(double seconds) {
            return problem == null && audioSeconds >= seconds - 0.5 && endLagSeconds <= KEPT_UP_LAG_SECONDS;
        }
    }

    /**
     * One run. CPU is split between this JVM (ingest and its Kafka producer, and the station and an embedded broker when
     * they run here) and the decoder JVMs; memory is the resident size of each decoder JVM and of this one, at their
     * largest while all streams played.
     */
    public record Result(int streams, double seconds, double processCpuSeconds, double decoderCpuSeconds,
                         List<Long> decoderRssKib, long processRssKib, List<Stream> perStream) {
        public long keptUp() {
            return perStream.stream().filter(s -> s.keptUp(seconds)).count();
        }

        public double audioSeconds() {
            return perStream.stream().mapToDouble(Stream::audioSeconds).sum();
        }
    }

    private StreamCapacity() {
    }

    /**
     * Follows {@code streams} streams of {@code mp3} for {@code seconds} of audio each, publishing to a new topic of
     * {@code kafka} (which the caller deletes). The streams start one after another, evenly over {@code rampSeconds}
     * (0: all at once): each decoder's start costs about half a CPU-second, and a hundred at once are a minute's
     * backlog on two cores before the steady state this measures.
     *
     * @throws IOException when the MP3 cannot be read or the station cannot listen
     */
    public static Result measure(KafkaSettings kafka, Path mp3, int streams, double seconds, double rampSeconds)
            throws IOException {
        Map<String, String> paths = new HashMap<>();
        try (IcyStation station = IcyStation.playing(mp3, 16_000);
             ChunkPublisher publisher = ChunkPublisher.open(kafka)) {
            UrlIngest ingest = new UrlIngest(publisher, new FileIngest.Options(100, false, List.of(), null, CallIdentity.NONE, 0),
                    UrlIngest.Settings.DEFAULT.withMaxSeconds(seconds), notice -> { });
            Map<Long, Long> decoderRss = new ConcurrentHashMap<>();
            long[] processRss = {0};
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "stream-capacity-memory");
                thread.setDaemon(true);
                return thread;
            });
            sampler.scheduleAtFixedRate(() -> {
                ProcessHandle.current().children().forEach(child -> decoderRss.merge(child.pid(), residentKib(child.pid()), Math::max));
                processRss[0] = Math.max(processRss[0], residentKib(ProcessHandle.current().pid()));
            }, 1, 1, TimeUnit.SECONDS);

            double cpuBefore = processCpuSeconds();
            double childrenBefore = DecodeBenchmark.childrenCpuSeconds();
            List<CompletableFuture<IngestOutcome>> running = new ArrayList<>();
            for (int i = 1; i <= streams; i++) {
                String callId = "bench-stream-" + i;
                String path = "/stream-" + i + ".mp3";
                paths.put(callId, path);
                long delayMs = Math.round(rampSeconds * 1000 * (i - 1) / streams);
                running.add(CompletableFuture.supplyAsync(() -> {
                    pause(delayMs);
                    return ingest.ingest(URI.create(station.url(path)), callId);
                }, task -> {
                    Thread thread = new Thread(task, "stream-capacity-" + callId);
                    thread.setDaemon(true);
                    thread.start();
                }));
            }
            Map<String, String> problems = new HashMap<>();
            for (CompletableFuture<IngestOutcome> outcome : running) {
                if (outcome.join() instanceof IngestOutcome.Rejected rejected) {
                    problems.put(rejected.input(), rejected.reason());
                }
            }
            sampler.shutdownNow();
            awaitChildrenGone();
            double cpu = processCpuSeconds() - cpuBefore;
            double decoderCpu = DecodeBenchmark.childrenCpuSeconds() - childrenBefore;
            publisher.flush();

            Map<String, List<AudioChunk>> chunks = readBack(kafka, streams);
            List<Stream> perStream = new ArrayList<>();
            for (int i = 1; i <= streams; i++) {
                String callId = "bench-stream-" + i;
                Long startedMs = station.startedMs(paths.get(callId));
                List<AudioChunk> delivered = chunks.getOrDefault(callId, List.of());
                String problem = problems.get(station.url(paths.get(callId)));
                perStream.add(startedMs == null || delivered.isEmpty()
                        ? new Stream(callId, 0, 0, 0, problem != null ? problem : "no audio reached Kafka")
                        : lags(callId, startedMs, delivered));
            }
            return new Result(streams, seconds, cpu, decoderCpu, List.copyOf(decoderRss.values()), processRss[0], perStream);
        }
    }

    /** Median lag over the last tenth of the audio, and its growth from the middle tenth. */
    private static Stream lags(String callId, long startedMs, List<AudioChunk> chunks) {
        double total = 0;
        List<double[]> endAndLag = new ArrayList<>();
        for (AudioChunk chunk : chunks) {
            int bytesPerSample = chunk.getEncoding() == AudioEncoding.PCM_S16LE ? 2 : 1;
            double end = (chunk.getFirstSample() + (double) chunk.getPayload().remaining() / bytesPerSample) / chunk.getSampleRate();
            endAndLag.add(new double[] {end, (chunk.getIngestTimeMs() - startedMs) / 1000.0 - end});
            total = Math.max(total, end);
        }
        double last = median(endAndLag, total * 0.9, total);
        double middle = median(endAndLag, total * 0.45, total * 0.55);
        return new Stream(callId, total, last, last - middle, null);
    }

    private static double median(List<double[]> endAndLag, double from, double to) {
        double[] lags = endAndLag.stream().filter(e -> e[0] >= from && e[0] <= to).mapToDouble(e -> e[1]).sorted().toArray();
        return lags.length == 0 ? Double.NaN : IngestBenchmark.median(lags);
    }

    /** Channel 0 of every call, read back until each stream's end marker (or 30 s without a record). */
    private static Map<String, List<AudioChunk>> readBack(KafkaSettings kafka, int streams) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "stream-capacity-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Object> all = new HashMap<>(config);
        kafka.clientOverrides().forEach((key, value) -> all.put(key.toString(), value));
        Map<String, List<AudioChunk>> byCall = new HashMap<>();
        try (KafkaConsumer<String, AudioChunk> consumer = new KafkaConsumer<>(all, new StringDeserializer(),
                AvroSerde.of(AudioChunk.class).deserializer())) {
            consumer.subscribe(List.of(kafka.topic()));
            // A hundred stereo streams of two minutes are gigabytes to read back: give up only when nothing more comes.
            long quietSince = System.nanoTime();
            int ends = 0;
            while (ends < streams && System.nanoTime() - quietSince < Duration.ofSeconds(30).toNanos()) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                for (ConsumerRecord<String, AudioChunk> record : records) {
                    AudioChunk chunk = record.value();
                    if (chunk.getEndOfStream() && chunk.getChannel() == 0) {
                        ends++;
                    }
                    if (chunk.getChannel() == 0 && chunk.getPayload().remaining() > 0) {
                        byCall.computeIfAbsent(chunk.getCallId(), id -> new ArrayList<>()).add(chunk);
                    }
                }
            }
        }
        return byCall;
    }

    /** The decoders are reaped (and their CPU counted) only once they have exited: wait up to 30 s for that. */
    private static void awaitChildrenGone() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ProcessHandle.current().children().findAny().isPresent() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** VmRSS of a process, in KiB; 0 once it is gone. */
    static long residentKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between listing and reading
        }
        return 0;
    }
}
