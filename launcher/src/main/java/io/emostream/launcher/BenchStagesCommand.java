package io.emostream.launcher;

import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.bench.StageBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stages", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the CPU cost of each stage of the job alone, as audio-seconds per CPU-second.",
            "The stages: the VAD batched and one stream per call, decoding and resampling, acoustic cues, the"
                + " estimator, speech recognition. Prints a Markdown table."})
final class BenchStagesCommand implements Callable<Integer> {
    @Option(names = "--speech", paramLabel = "WAV", defaultValue = "fixtures/audio/podcast-mono-16k.wav",
            description = "16 kHz mono speech to cut the streams from (default: ${DEFAULT-VALUE}).")
    Path speech;

    @Option(names = "--streams", defaultValue = "64", description = "Speaker streams for the VAD stages (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--seconds", defaultValue = "10", description = "Audio per stream (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs per stage, after one warm-up (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--asr", defaultValue = "sphinx", paramLabel = "none|sphinx|whisper:PATH",
            description = "Speech recogniser to time on one 4 s utterance per run, or none (default: ${DEFAULT-VALUE}).")
    String asr;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (streams < 1 || seconds <= 0 || runs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--streams and --runs must be at least 1 and --seconds above 0.");
        }
        TranscribeUtterances.Settings recognizer = Options.speechRecognition(spec, asr, TranscribeUtterances.Settings.off().timeout());
        float[] samples = SpeechFile.read16kMono("--speech", speech);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Per-stage cost, %d cores, %d runs after a warm-up, speech from %s%n",
                Runtime.getRuntime().availableProcessors(), runs, speech);
        out.println("| stage | audio-s per CPU-s, median (min-max) |");
        out.println("|---|---|");
        List<StageBenchmark.Figure> figures = StageBenchmark.measure(samples, streams, seconds, runs, recognizer);
        for (StageBenchmark.Figure figure : figures) {
            out.printf(Locale.ROOT, "| %s | %s (%s-%s) |%n", figure.stage(), rate(figure.median()), rate(figure.min()), rate(figure.max()));
        }
        out.printf(Locale.ROOT, "VAD batched / one stream per call: %.2f×%n", figures.get(1).median() / figures.get(0).median());
        return 0;
    }

    /** Whole numbers for fast stages, two decimals for those slower than real time. */
    private static String rate(double audioSecondsPerCpuSecond) {
        return String.format(Locale.ROOT, audioSecondsPerCpuSecond < 10 ? "%.2f" : "%,.0f", audioSecondsPerCpuSecond);
    }
}
