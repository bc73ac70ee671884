package io.emostream.launcher;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.feed.FeedIngest;
import io.emostream.ingest.feed.FeedState;
import io.emostream.ingest.net.HttpGet;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** A podcast feed, for ingest, analyze and demo: each episode a call, remembered once ingested. */
final class FeedOptions {
    /** Where feeds remember their episodes unless --feed-state says otherwise. */
    static final Path DEFAULT_STATE_DIR = Path.of(System.getProperty("user.home"), ".emostream", "feeds");

    @Option(names = "--feed", paramLabel = "URL", description = "A podcast feed (RSS or Atom): each episode's recording"
            + " becomes a call, with its title, show (series) and date in its source metadata; episodes ingested before"
            + " are skipped.")
    URI feed;

    @Option(names = "--follow", description = "With --feed: keep polling the feed and ingest new episodes as they appear, until Ctrl-C.")
    boolean follow;

    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "300",
            description = "With --follow: seconds between two readings of the feed (default: ${DEFAULT-VALUE}).")
    int pollS;

    @Option(names = "--episodes", paramLabel = "N",
            description = "With --feed: take at most the newest N episodes not yet ingested (default: all).")
    Integer episodes;

    @Option(names = "--feed-state", paramLabel = "FILE",
            description = "With --feed: where the episodes already ingested are remembered (default: a file per feed in ~/.emostream/feeds).")
    Path stateFile;

    boolean given() {
        return feed != null;
    }

    FeedIngest.Settings settings(CommandLine.Model.CommandSpec spec) {
        UrlOptions.requireHttp(spec, "--feed", feed);
        if (pollS < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--poll must be at least 1 second, not " + pollS + ".");
        }
        if (episodes != null && episodes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--episodes must be at least 1, not " + episodes + ".");
        }
        return new FeedIngest.Settings(Duration.ofSeconds(pollS), episodes == null ? FeedIngest.ALL : episodes, HttpGet.Settings.DEFAULT);
    }

    /** The feed's state file, created (with its folders) now, so a place that cannot be written is said at once. */
    FeedState state() {
        Path file = stateFile != null ? stateFile : FeedState.defaultFile(DEFAULT_STATE_DIR, feed);
        try {
            return FeedState.open(file, feed);
        } catch (InvalidInputException e) {
            throw new EmotionCli.UserException("--feed-state: " + e.getMessage() + ".", e);
        }
    }
}
