package io.emostream.launcher;

import io.emostream.ingest.bench.IcyStation;
import io.emostream.ingest.bench.IngestBenchmark;
import io.emostream.ingest.bench.StreamCapacity;
import io.emostream.ingest.kafka.KafkaSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "streams", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure how many live Icecast streams one ingest process follows at real time.",
            "A station in this process plays an MP3 in a loop, at its bit rate, to N listeners; one ingest follows all N"
                + " as ingest --url does (FFmpeg decoding each in a JVM of its own) into Kafka, for --seconds of audio each."
                + " Then the chunks are read back: a stream kept up when its chunks of the last tenth reached Kafka within "
                + StreamCapacity.KEPT_UP_LAG_SECONDS + " s of the station sending their audio.",
            "Starts an embedded broker unless --bootstrap is given (its bench.streams.* topics are deleted afterwards).",
            "Prints a Markdown table, a row per stream count."})
final class BenchStreamsCommand implements Callable<Integer> {
    @Option(names = "--streams", split = ",", defaultValue = "10,40", paramLabel = "N",
            description = "Stream counts to measure, one run each (default: ${DEFAULT-VALUE}).")
    List<Integer> streams;

    @Option(names = "--seconds", defaultValue = "60", description = "Audio to take from each stream (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--ramp", paramLabel = "SECONDS", defaultValue = "30",
            description = "Start the streams one after another over this long (default: ${DEFAULT-VALUE}; 0: all at once)."
                    + " Each decoder's start costs about half a CPU-second.")
    double rampSeconds;

    @Option(names = "--mp3", paramLabel = "FILE", defaultValue = "fixtures/media/speech-44k1-stereo.mp3",
            description = "The station's programme, a constant-bit-rate MP3 (default: ${DEFAULT-VALUE}, 44.1 kHz stereo at 64 kbit/s).")
    Path mp3;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Measure against this Kafka instead of an embedded broker.")
    String bootstrap;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (streams.stream().anyMatch(n -> n < 1) || !(seconds >= 5) || !(rampSeconds >= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--streams must be at least 1, --seconds at least 5 and --ramp at least 0.");
        }
        try {
            IcyStation.bitRate(mp3);
        } catch (NoSuchFileException e) {
            throw new EmotionCli.UserException("--mp3 " + mp3 + " does not exist: give an MP3 file for the station to play.");
        } catch (IOException e) {
            throw new EmotionCli.UserException("--mp3: " + e.getMessage() + ".");
        }
        try (BenchBroker kafka = BenchBroker.start(bootstrap)) {
            PrintWriter out = spec.commandLine().getOut();
            long memoryGib = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize() >> 30;
            out.printf(Locale.ROOT, "Live streams followed by one ingest process, %d cores, %d GiB; %s, %.0f s each, started over %.0f s;"
                    + " Kafka at %s (%s)%n", Runtime.getRuntime().availableProcessors(), memoryGib, mp3.getFileName(), seconds,
                    rampSeconds, kafka.servers(), kafka.describe());
            out.println("| streams | kept up | lag at end, s: median (max) | lag growth, 2nd half, s: max"
                    + " | CPU per stream, % of a core: ingest JVM + decoders | decoder JVM RSS, MiB: median (max) | ingest JVM RSS, MiB |");
            out.println("|---|---|---|---|---|---|---|");
            out.flush();
            for (int n : streams) {
                StreamCapacity.Result result = StreamCapacity.measure(
                        KafkaSettings.of(kafka.servers(), kafka.newTopic("bench.streams")), mp3, n, seconds, rampSeconds);
                out.println(row(result));
                out.flush();
                result.perStream().stream().filter(s -> s.problem() != null).limit(3)
                        .forEach(s -> spec.commandLine().getErr().printf("%s: %s%n", s.callId(), s.problem()));
                spec.commandLine().getErr().flush();
            }
            return 0;
        }
    }

    private static String row(StreamCapacity.Result result) {
        double[] endLags = result.perStream().stream().filter(s -> s.problem() == null)
                .mapToDouble(StreamCapacity.Stream::endLagSeconds).toArray();
        double growth = result.perStream().stream().filter(s -> s.problem() == null)
                .mapToDouble(StreamCapacity.Stream::lagGrowthSeconds).max().orElse(Double.NaN);
        double audioSeconds = result.audioSeconds();
        double[] rss = result.decoderRssKib().stream().mapToDouble(kib -> kib / 1024.0).toArray();
        return String.format(Locale.ROOT, "| %d | %d of %d | %s (%s) | %.2f | %.2f + %.2f | %s (%s) | %.0f |",
                result.streams(), result.keptUp(), result.streams(),
                endLags.length == 0 ? "-" : String.format(Locale.ROOT, "%.2f", IngestBenchmark.median(endLags)),
                endLags.length == 0 ? "-" : String.format(Locale.ROOT, "%.2f", Arrays.stream(endLags).max().orElseThrow()),
                growth, 100 * result.processCpuSeconds() / audioSeconds, 100 * result.decoderCpuSeconds() / audioSeconds,
                rss.length == 0 ? "-" : String.format(Locale.ROOT, "%.0f", IngestBenchmark.median(rss)),
                rss.length == 0 ? "-" : String.format(Locale.ROOT, "%.0f", Arrays.stream(rss).max().orElseThrow()),
                result.processRssKib() / 1024.0);
    }
}
