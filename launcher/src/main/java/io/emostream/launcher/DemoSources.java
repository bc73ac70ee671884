package io.emostream.launcher;

import io.emostream.ingest.feed.FeedIngest;
import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.net.SourceException;
import io.emostream.ingest.stream.UrlIngest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's audio from the network: streams behind --url and a podcast feed's episodes, each played into the demo's
 * pipeline on a thread of its own. Closing one ends its calls at the audio read so far (end-of-stream on every
 * channel) and waits for the thread.
 */
final class DemoSources {
    private DemoSources() {
    }

    static AutoCloseable streams(UrlOptions url, UrlIngest.Settings settings, ChunkPublisher publisher, FileIngest.Options options,
                                 PrintWriter out) {
        UrlIngest ingest = new UrlIngest(publisher, options, settings, notice -> print(out, "demo: " + notice));
        Thread thread = new Thread(() -> url.ingestAll(ingest, null, outcome -> {
            if (outcome instanceof IngestOutcome.Rejected rejected) {
                print(out, "demo: " + rejected.input() + ": " + rejected.reason());
            } else if (outcome instanceof IngestOutcome.Ingested ingested) {
                print(out, "demo: " + ingested.input() + " ended: " + ingested.description());
            }
        }), "emostream-demo-urls");
        return start(thread, ingest::requestStop);
    }

    /**
     * The feed's episodes at real time, then (with --follow) new ones as they appear. The demo remembers them in a
     * temporary state, unless --feed-state names one, so a demo never marks a user's episodes as ingested.
     */
    static AutoCloseable feed(FeedOptions feed, FeedIngest.Settings settings, ChunkPublisher publisher, FileIngest.Options options,
                              PrintWriter out, PrintWriter err) throws IOException {
        Path temporary = null;
        if (feed.stateFile == null) {
            temporary = Files.createTempDirectory("emostream-demo-feed");
            temporary.toFile().deleteOnExit();
            feed.stateFile = temporary.resolve("state.json");
            feed.stateFile.toFile().deleteOnExit();
        }
        FeedIngest ingest = new FeedIngest(feed.feed, new FileIngest(publisher, options, outcome -> { }), feed.state(),
                options.identity(), settings, new FeedPrinter(out, err));
        Thread thread = new Thread(() -> {
            try {
                if (feed.follow) {
                    ingest.follow();
                } else {
                    ingest.ingestNew();
                }
            } catch (SourceException e) {
                print(err, "demo: " + e.getMessage());
            }
        }, "emostream-demo-feed");
        return start(thread, ingest::requestStop);
    }

    private static AutoCloseable start(Thread thread, Runnable requestStop) {
        thread.setDaemon(true);
        thread.start();
        return () -> {
            requestStop.run();
            thread.join(20_000);
        };
    }

    private static void print(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
