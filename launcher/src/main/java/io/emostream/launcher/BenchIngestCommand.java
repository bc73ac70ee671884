package io.emostream.launcher;

import io.emostream.ingest.bench.IngestBenchmark;
import io.emostream.ingest.kafka.KafkaSettings;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure ingest throughput into Kafka: audio-seconds and chunks per second.",
            "Starts an embedded broker unless --bootstrap is given (its bench.ingest.* topics are deleted afterwards).",
            "Prints the median and the range over the runs, as a Markdown table."})
final class BenchIngestCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Measure against this Kafka instead of an embedded broker.")
    String bootstrap;

    @Option(names = "--calls", defaultValue = "20", description = "Stereo calls per run (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--seconds", defaultValue = "60", description = "Length of each call in seconds (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--chunk-ms", split = ",", defaultValue = "100,20", description = "Chunk lengths to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> chunkMs;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs per configuration (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmups", defaultValue = "2", description = "Untimed runs first, for the JIT (default: ${DEFAULT-VALUE}).")
    int warmups;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (runs < 1 || warmups < 0 || calls < 1 || seconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--runs and --calls must be at least 1, --warmups at least 0 and --seconds above 0.");
        }
        try (BenchBroker kafka = BenchBroker.start(bootstrap)) {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Ingest throughput into Kafka at %s (%s), %d cores, %d runs after %d warm-ups%n", kafka.servers(),
                    kafka.describe(), Runtime.getRuntime().availableProcessors(), runs, warmups);
            out.println("| scenario | audio-s/s median (min-max) | chunks/s median (min-max) | CPU-s per audio-hour |");
            out.println("|---|---|---|---|");
            for (int chunk : chunkMs) {
                for (boolean mulaw : new boolean[] {false, true}) {
                    IngestBenchmark.Scenario scenario = new IngestBenchmark.Scenario(calls, seconds, mulaw ? 8000 : 16000, mulaw, chunk);
                    List<IngestBenchmark.Run> measured = IngestBenchmark.measure(
                            KafkaSettings.of(kafka.servers(), kafka.newTopic("bench.ingest")), scenario, warmups, runs);
                    double[] audio = measured.stream().mapToDouble(IngestBenchmark.Run::audioSecondsPerSecond).toArray();
                    double[] chunks = measured.stream().mapToDouble(IngestBenchmark.Run::chunksPerSecond).toArray();
                    double[] cpuPerHour = measured.stream().mapToDouble(r -> r.cpuSeconds() / r.audioSeconds() * 3600).toArray();
                    out.printf(Locale.ROOT, "| %s | %,.0f (%,.0f-%,.0f) | %,.0f (%,.0f-%,.0f) | %.1f |%n", scenario.describe(),
                            IngestBenchmark.median(audio), min(audio), max(audio),
                            IngestBenchmark.median(chunks), min(chunks), max(chunks), IngestBenchmark.median(cpuPerHour));
                    out.flush();
                }
            }
            return 0;
        }
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
