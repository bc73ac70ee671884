package io.emostream.launcher;

import io.emostream.ingest.bench.AudioHookLoad;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audiohook", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure how many Genesys AudioHook sessions an ingest process holds at real time.",
            "Plays N sessions at once against a running `bin/emotion ingest --listen`, each streaming PCMU stereo in"
                + " 20 ms frames for --seconds, then closing. Prints, per N: sessions completed, how late frames left"
                + " (a server that falls behind holds up the sender), how long close waited for closed (Kafka"
                + " acknowledged the whole call), and the ingest process's CPU per call-second (with --pid)."},
        footer = {"", "Example:",
            "  bin/emotion ingest --listen 8090 & bin/emotion bench audiohook --url ws://127.0.0.1:8090/audiohook --pid $!"})
final class BenchAudioHookCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, paramLabel = "URL", description = "The ingest process's AudioHook endpoint.")
    URI url;

    @Option(names = "--sessions", split = ",", defaultValue = "50,100,200", description = "Sessions at once, per run (default: ${DEFAULT-VALUE}).")
    List<Integer> sessions;

    @Option(names = "--seconds", defaultValue = "30", description = "Audio per session (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--pid", paramLabel = "PID", description = "The ingest process, to read its CPU time from /proc.")
    Long pid;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "The X-API-KEY the server requires, if any."
            + " Requests are not signed: measure a server without a client secret.")
    Path apiKeyFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String apiKey = Options.token(apiKeyFile, "EMOSTREAM_AUDIOHOOK_API_KEY");
        Map<String, String> headers = apiKey == null ? Map.of() : Map.of("X-API-KEY", apiKey);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("AudioHook sessions against %s, %d cores here%n", url, Runtime.getRuntime().availableProcessors());
        out.println("| sessions | seconds | completed | frame lateness ms p50 / p99 / max | close → closed ms p50 / p99"
                + " | ingest CPU per call-second |");
        out.println("|---|---|---|---|---|---|");
        int failed = 0;
        for (int n : sessions) {
            AudioHookLoad.Result result = AudioHookLoad.run(url, headers, n, seconds, pid);
            out.println(result.describe());
            result.failures().stream().distinct().limit(3).forEach(failure -> out.println("  failed: " + failure));
            failed += result.failures().size();
            out.flush();
        }
        return failed == 0 ? 0 : EmotionCli.INPUT_FAILED;
    }
}
