package io.emostream.launcher;

import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.stream.UrlIngest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Audio behind URLs, for ingest, analyze and demo: live HTTP streams, HLS, station playlists, recordings. */
final class UrlOptions {
    @Option(names = "--url", paramLabel = "URL", description = {"A live HTTP(S) audio stream (Icecast, Shoutcast: MP3,"
            + " AAC, Ogg), an HLS playlist (live or VOD), a station's .pls or .m3u, or a recording's address. Each becomes"
            + " one call; repeat for several at once."})
    List<URI> urls = List.of();

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "With --url: take at most this much audio from each live stream (default: until it ends or Ctrl-C).")
    Double durationS;

    @Option(names = "--reconnect-for", paramLabel = "SECONDS", defaultValue = "600",
            description = "With --url: how long a live stream that dropped is tried again (backoff 1 s, doubling to 30 s)"
                    + " before its call ends (default: ${DEFAULT-VALUE}).")
    int reconnectForS;

    /**
     * Ingests every URL at once, each on a thread of its own (live streams play side by side, not one after the
     * other), and returns the outcomes in the order the URLs were given, telling {@code each} of them as they come.
     */
    List<IngestOutcome> ingestAll(UrlIngest ingest, String callId, Consumer<IngestOutcome> each) {
        Executor threads = task -> {
            Thread thread = new Thread(task, "emostream-url");
            thread.setDaemon(true);
            thread.start();
        };
        List<CompletableFuture<IngestOutcome>> running = urls.stream()
                .map(address -> CompletableFuture.supplyAsync(() -> ingest.ingest(address, callId), threads)).toList();
        List<IngestOutcome> outcomes = new ArrayList<>();
        for (CompletableFuture<IngestOutcome> outcome : running) {
            IngestOutcome done = outcome.join();
            each.accept(done);
            outcomes.add(done);
        }
        return outcomes;
    }

    /** Refuses, as bad usage, an address emostream cannot fetch: only http and https, with a host. */
    static void requireHttp(CommandLine.Model.CommandSpec spec, String option, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + url + " is not an http:// or https:// address with a host.");
        }
    }

    boolean given() {
        return !urls.isEmpty();
    }

    /**
     * @param realtime pace VOD playlists at their own speed (live streams are paced by their arrival anyway)
     * @param endless  whether a live stream may play until Ctrl-C; false where the inputs must end (analyze)
     */
    UrlIngest.Settings settings(CommandLine.Model.CommandSpec spec, boolean realtime, boolean endless) {
        urls.forEach(url -> requireHttp(spec, "--url", url));
        if (durationS != null && !(durationS > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--duration must be more than 0 seconds, not " + durationS + ".");
        }
        if (reconnectForS < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reconnect-for cannot be negative (" + reconnectForS + ").");
        }
        return UrlIngest.Settings.DEFAULT.withRealtime(realtime).withEndless(endless)
                .withGiveUpAfter(Duration.ofSeconds(reconnectForS))
                .withMaxSeconds(durationS == null ? Double.POSITIVE_INFINITY : durationS);
    }
}
