package io.emostream.launcher;

import io.emostream.ingest.bench.IngestBenchmark;
import io.emostream.ingest.media.DecodeBenchmark;
import io.emostream.ingest.media.MediaException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the CPU cost of decoding media files, as audio-seconds per CPU-second.",
            "Each file's first audio track is decoded to its end through the media reader, as ingest does: FFmpeg in a"
                + " JVM of its own. Two figures: the decoder process as a whole (its JVM start and FFmpeg's loading"
                + " included) and the decoding alone (the decoder's own count); and the difference, the CPU-seconds each"
                + " file costs besides its audio. Prints a Markdown table."})
final class BenchDecodeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Media files to decode (mp3, m4a, opus, ...).")
    List<Path> files;

    @Option(names = "--runs", defaultValue = "5", description = "Timed decodings per file (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmups", defaultValue = "1", description = "Untimed decodings first, for the disk cache (default: ${DEFAULT-VALUE}).")
    int warmups;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (runs < 1 || warmups < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1 and --warmups at least 0.");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.printf("Decoding cost, %d cores, %d runs after %d warm-up%s per file; audio-s per CPU-s, median (min-max)%n",
                Runtime.getRuntime().availableProcessors(), runs, warmups, warmups == 1 ? "" : "s");
        out.println("| file | codec | rate | channels | audio s | decoder process | decoding alone | start, CPU-s |");
        out.println("|---|---|---|---|---|---|---|---|");
        out.flush();
        int failed = 0;
        for (Path file : files) {
            DecodeBenchmark.Result result;
            try {
                result = DecodeBenchmark.measure(file, warmups, runs);
            } catch (MediaException | IOException e) {
                err.printf("rejected: %s: %s%n", file, e.getMessage());
                err.flush();
                failed++;
                continue;
            }
            // What the process spends besides the decoding (JVM start, FFmpeg's loading, exit) is paid once per file.
            double start = IngestBenchmark.median(result.runs().stream()
                    .mapToDouble(run -> run.processCpuSeconds() - run.decodeCpuSeconds()).toArray());
            out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.2f | %s | %s | %.2f |%n", file.getFileName(), result.format().codec(),
                    result.format().sampleRate(), result.format().channels(), result.audioSeconds(),
                    spread(result.runs(), DecodeBenchmark.Run::processAudioSecondsPerCpuSecond),
                    spread(result.runs(), DecodeBenchmark.Run::decodeAudioSecondsPerCpuSecond), start);
            out.flush();
        }
        return failed == 0 ? 0 : EmotionCli.INPUT_FAILED;
    }

    private static String spread(List<DecodeBenchmark.Run> runs, ToDoubleFunction<DecodeBenchmark.Run> figure) {
        double[] values = runs.stream().mapToDouble(figure).toArray();
        return rate(IngestBenchmark.median(values)) + " (" + rate(Arrays.stream(values).min().orElseThrow()) + "-"
                + rate(Arrays.stream(values).max().orElseThrow()) + ")";
    }

    /** Whole numbers, but two decimals below 10 (the process figure of a short file, mostly JVM start). */
    private static String rate(double audioSecondsPerCpuSecond) {
        return String.format(Locale.ROOT, audioSecondsPerCpuSecond < 10 ? "%.2f" : "%,.0f", audioSecondsPerCpuSecond);
    }
}
