package io.emostream.launcher;

import io.emostream.ingest.feed.Episode;
import io.emostream.ingest.feed.EpisodeOutcome;
import io.emostream.ingest.feed.Feed;
import io.emostream.ingest.feed.FeedIngest;
import io.emostream.ingest.file.IngestOutcome;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a feed's ingest tells the user: the feed read, a progress bar per enclosure fetched (on standard error), one
 * line per episode, and the outcomes for the closing summary. Called from the thread that runs the feed.
 */
final class FeedPrinter implements FeedIngest.Listener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<IngestOutcome> outcomes = new ArrayList<>();
    private final Map<String, ProgressBar> fetching = new HashMap<>();

    FeedPrinter(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** Every episode this process ingested or failed to, as ingest outcomes (stopped ones are left out). */
    synchronized List<IngestOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    @Override
    public void feedRead(Feed feed, int toIngest, int alreadyIngested, int leftForLater) {
        out.printf("Feed \"%s\" (%s): %d episode%s to ingest, %d already ingested%s.%n", feed.title() == null ? "untitled" : feed.title(),
                feed.uri(), toIngest, toIngest == 1 ? "" : "s", alreadyIngested,
                leftForLater == 0 ? "" : ", " + leftForLater + " older left for a later run (--episodes)");
        out.flush();
    }

    @Override
    public synchronized void downloading(Episode episode, long bytes, long total) {
        ProgressBar bar = fetching.computeIfAbsent(episode.guid(), guid -> ProgressBar.onStderr(err, "fetching " + episode.label()));
        if (total > 0) {
            bar.show((double) bytes / total, String.format(Locale.ROOT, "%.1f of %.1f MB", bytes / 1e6, total / 1e6));
        }
    }

    @Override
    public synchronized void episodeDone(EpisodeOutcome outcome) {
        ProgressBar bar = fetching.remove(outcome.episode().guid());
        if (bar != null) {
            bar.finish("fetched");
        }
        if (outcome instanceof EpisodeOutcome.Ingested ingested) {
            IngestOutcome.Ingested call = ingested.call();
            out.printf("%s -> call %s: %s, %d chunks%n", outcome.episode().label(), call.callId(), call.description(), call.chunks());
            call.warnings().forEach(w -> err.printf("warning: %s: %s%n", outcome.episode().label(), w));
            // Summaries name an episode by its title, not by its recording's address.
            outcomes.add(new IngestOutcome.Ingested(outcome.episode().label(), call.callId(), call.description(), call.seconds(),
                    call.chunks(), call.warnings(), call.delivery()));
        } else if (outcome instanceof EpisodeOutcome.Failed failed) {
            err.printf("failed: %s: %s%n", outcome.episode().label(), failed.reason());
            outcomes.add(new IngestOutcome.Rejected(outcome.episode().label(), failed.reason()));
        } else {
            out.printf("stopped: %s; not remembered, so it is ingested whole next time.%n", outcome.episode().label());
        }
        out.flush();
        err.flush();
    }

    @Override
    public void pollFailed(String sentence) {
        err.println(sentence);
        err.flush();
    }
}
