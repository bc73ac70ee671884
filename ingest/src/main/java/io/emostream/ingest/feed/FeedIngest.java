package io.emostream.ingest.feed;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.kafka.CallDelivery;
import io.emostream.ingest.net.Download;
import io.emostream.ingest.net.HttpGet;
import io.emostream.ingest.net.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ingests the episodes of a podcast feed, each as one call, and with {@link #follow()} keeps polling the feed for
 * new ones.
 *
 * <p>A pass reads the feed, leaves out the episodes its {@link FeedState} remembers, and ingests the others oldest
 * first (by publication date when every one has a date that can be read, else in the reverse of the feed's order,
 * which lists the newest first). Each enclosure is downloaded to a temporary file (deleted afterwards) and ingested
 * through {@link FileIngest#ingestFetched}: WAV files, told by their RIFF/WAVE header rather than by the feed's
 * declared type, which feeds often get wrong, go to our WAV reader; everything else to FFmpeg. The call id is
 * {@link Episode#callId()}, the source {@code feed:} and the enclosure URL, the series the channel's title (unless
 * the caller gave one), and the chunks' source metadata says which episode of which feed it was
 * ({@code feed.url}, {@code feed.title}, {@code episode.title}, {@code episode.guid}, {@code episode.published},
 * {@code episode.duration}, {@code episode.url}, {@code episode.type}).
 *
 * <p>An episode is remembered only once Kafka has acknowledged every chunk of its call. One whose enclosure cannot
 * be fetched or decoded, or whose chunks Kafka refused, is reported in one line and the others go on; it is tried
 * again at the next poll when following (up to {@value #TRIES_PER_EPISODE} times in one process, and not at all
 * when the failure cannot pass, such as a file FFmpeg cannot decode) and in any case on the next run.
 *
 * <p>{@link Settings#maxEpisodes()} caps a pass: of the episodes not yet ingested, only the newest N are taken,
 * oldest of them first, so that pointing this at a show with a long back catalogue starts with its latest episodes.
 * The older ones are not remembered: a later run with a larger cap (or none) ingests them. While following, they
 * are not taken up by later polls either: following means the episodes that appear from now on.
 *
 * <p>{@link #follow()} polls every {@link Settings#pollInterval()}, asking with {@code If-None-Match} and
 * {@code If-Modified-Since} when the server gave an {@code ETag} or {@code Last-Modified}, so an unchanged feed
 * costs a 304 and no download. The first reading of the feed must succeed (a wrong URL ends {@code follow()} with
 * its sentence instead of being polled for ever); a later poll that fails is reported in one line and tried again
 * at the next interval. {@link #requestStop()} (e.g. on Ctrl-C) ends the wait, the download or the ingest under
 * way: a call being ingested is ended at the audio read so far, and that episode is not remembered.
 */
public final class FeedIngest {
    /** No cap on the episodes per pass. */
    public static final int ALL = Integer.MAX_VALUE;
    /** How often one process tries an episode that keeps failing before it leaves it to the next run. */
    public static final int TRIES_PER_EPISODE = 3;

    /**
     * @param pollInterval how long {@link #follow()} waits between readings of the feed
     * @param maxEpisodes  the most episodes one pass ingests (the newest of those not yet ingested), or {@link #ALL}
     * @param http         timeouts for the feed and its enclosures
     */
    public record Settings(Duration pollInterval, int maxEpisodes, HttpGet.Settings http) {
        /** Five minutes: prompt enough for a show that publishes daily, and cheap with conditional requests. */
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);
        public static final Settings DEFAULT = new Settings(DEFAULT_POLL_INTERVAL, ALL, HttpGet.Settings.DEFAULT);

        public Settings {
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new InvalidInputException("the interval between polls of a feed must be longer than 0, not " + pollInterval);
            }
            if (maxEpisodes < 1) {
                throw new InvalidInputException("the number of episodes per run must be at least 1, not " + maxEpisodes);
            }
        }
    }

    /** Told what happens, from the thread that runs the pass. */
    public interface Listener {
        /**
         * The feed was read (not told when a poll found it unchanged).
         *
         * @param toIngest        episodes this pass will ingest
         * @param alreadyIngested episodes the state remembers
         * @param leftForLater    episodes not yet ingested that the cap on episodes per pass leaves out
         */
        default void feedRead(Feed feed, int toIngest, int alreadyIngested, int leftForLater) {
        }

        /** An enclosure is being fetched: bytes so far, and the total the server declared (-1 when none). */
        default void downloading(Episode episode, long bytes, long total) {
        }

        /** One episode is done with, one way or another. */
        void episodeDone(EpisodeOutcome outcome);

        /** A poll while following failed; one sentence that says so and when it is tried again. */
        default void pollFailed(String sentence) {
        }
    }

    /**
     * What one pass did.
     *
     * @param feed        the feed as last read
     * @param notModified whether the server said the feed had not changed since the last poll
     */
    public record Pass(Feed feed, boolean notModified, List<EpisodeOutcome> outcomes) {
        public Pass {
            outcomes = List.copyOf(outcomes);
        }

        /** Episodes that failed (not those stopped on request). */
        public long failures() {
            return outcomes.stream().filter(EpisodeOutcome.Failed.class::isInstance).count();
        }
    }

    private final URI feedUrl;
    private final FileIngest files;
    private final FeedState state;
    private final CallIdentity identity;
    private final Settings settings;
    private final Listener listener;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Feed lastFeed;
    private String entityTag;
    private String lastModified;
    private boolean following;
    private final Set<String> leftForLater = new HashSet<>();
    private final Map<String, Integer> tries = new HashMap<>();

    /**
     * @param files    ingests each episode; its own outcome listener sees the episodes that reach the ingest as well
     * @param identity speakers per channel, and the series when the user gave one (null: the channel's title);
     *                 its metadata goes on every episode's chunks along with the episode's own
     */
    public FeedIngest(URI feedUrl, FileIngest files, FeedState state, CallIdentity identity, Settings settings,
                      Listener listener) {
        this.feedUrl = feedUrl;
        this.files = files;
        this.state = state;
        this.identity = identity;
        this.settings = settings;
        this.listener = listener;
    }

    /**
     * Reads the feed once and ingests the episodes not yet ingested (within the cap).
     *
     * @throws SourceException when the feed cannot be read or is not a feed: one sentence naming its URL
     */
    public Pass ingestNew() throws SourceException {
        Feed read = fetch();
        boolean notModified = read == null;
        if (notModified && lastFeed == null) {
            throw new SourceException(feedUrl + " answered 304 Not Modified to a request that asked for the whole feed", true);
        }
        Feed feed = notModified ? lastFeed : read;
        List<Episode> pending = oldestFirst(feed.episodes().stream()
                .filter(e -> !state.contains(e.guid()) && !leftForLater.contains(e.guid())
                        && tries.getOrDefault(e.guid(), 0) < TRIES_PER_EPISODE)
                .toList());
        int cut = Math.max(0, pending.size() - settings.maxEpisodes());
        pending.subList(0, cut).forEach(e -> leftForLater.add(e.guid()));
        List<Episode> toIngest = pending.subList(cut, pending.size());
        if (!notModified) {
            int alreadyIngested = (int) feed.episodes().stream().filter(e -> state.contains(e.guid())).count();
            listener.feedRead(feed, toIngest.size(), alreadyIngested, cut);
        }
        List<EpisodeOutcome> outcomes = new ArrayList<>();
        for (Episode episode : toIngest) {
            if (stopRequested.get()) {
                break;
            }
            EpisodeOutcome outcome = ingest(episode, feed);
            outcomes.add(outcome);
            listener.episodeDone(outcome);
        }
        return new Pass(feed, notModified, outcomes);
    }

    /**
     * Ingests what is new now, then polls the feed until {@link #requestStop()}.
     *
     * @throws SourceException when the first reading of the feed fails
     */
    public void follow() throws SourceException {
        following = true;
        ingestNew();
        while (!awaitStop(settings.pollInterval())) {
            try {
                ingestNew();
            } catch (SourceException e) {
                listener.pollFailed(e.getMessage() + "; polling again in " + describe(settings.pollInterval()));
            }
        }
    }

    /** Ends the wait between polls, the download, or the call being ingested (at the audio read so far). */
    public void requestStop() {
        stopRequested.set(true);
        files.requestStop();
        stopped.countDown();
    }

    /** The feed as read now, or null when the server says it has not changed since the last reading. */
    private Feed fetch() throws SourceException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (lastFeed != null && entityTag != null) {
            headers.put("If-None-Match", entityTag);
        }
        if (lastFeed != null && lastModified != null) {
            headers.put("If-Modified-Since", lastModified);
        }
        try (HttpGet.Response response = HttpGet.open(feedUrl, headers, settings.http(), true)) {
            if (response.status() == 304) {
                return null;
            }
            Feed feed = FeedParser.parse(body(response), response.contentType(), response.uri());
            lastFeed = feed;
            entityTag = response.header("etag");
            lastModified = response.header("last-modified");
            return feed;
        }
    }

    private static byte[] body(HttpGet.Response response) throws SourceException {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(FeedParser.MAX_FEED_BYTES + 1);
            if (bytes.length > FeedParser.MAX_FEED_BYTES) {
                throw new SourceException(response.uri() + " is larger than " + (FeedParser.MAX_FEED_BYTES >> 20)
                        + " MiB, more than a podcast feed", false);
            }
            return bytes;
        } catch (SourceException e) {
            throw e;
        } catch (IOException e) {
            throw new SourceException(response.uri() + " broke off while it was read (" + e.getMessage() + ")", true, e);
        }
    }

    private EpisodeOutcome ingest(Episode episode, Feed feed) {
        String callId = episode.callId();
        tries.merge(episode.guid(), 1, Integer::sum);
        Path file = null;
        try {
            file = Files.createTempFile("emostream-episode-", ".download");
            Download.to(file, episode.enclosure(), settings.http(), (bytes, total) -> listener.downloading(episode, bytes, total),
                    stopRequested::get);
            if (stopRequested.get()) {
                return new EpisodeOutcome.Stopped(episode, callId, null);
            }
            IngestOutcome outcome = files.ingestFetched(file, !isWav(file), episode.enclosure().toString(), callId,
                    "feed:" + episode.enclosure(), identity(episode, feed));
            return settle(episode, callId, outcome);
        } catch (SourceException e) {
            if (stopRequested.get()) {
                return new EpisodeOutcome.Stopped(episode, callId, null);
            }
            return failed(episode, callId, e.getMessage(), e.retriable(), null);
        } catch (IOException e) {
            return failed(episode, callId, episode.enclosure() + " cannot be stored while it is fetched ("
                    + e.getMessage() + ")", true, null);
        } finally {
            deleteQuietly(file);
        }
    }

    private EpisodeOutcome settle(Episode episode, String callId, IngestOutcome outcome) {
        if (outcome instanceof IngestOutcome.Rejected rejected) {
            // What FFmpeg or the WAV reader refuses now, it refuses at every poll.
            return failed(episode, callId, rejected.input() + " " + rejected.reason(), false, outcome);
        }
        IngestOutcome.Ingested ingested = (IngestOutcome.Ingested) outcome;
        // Stopped while this call was read, or just after: it may be incomplete, so it is left to the next run,
        // which ingests it whole under the same call id (the same utterance ids, which consumers deduplicate).
        if (stopRequested.get()) {
            return new EpisodeOutcome.Stopped(episode, callId, outcome);
        }
        // Bounded by the producer's delivery timeout: every chunk gets an answer.
        CallDelivery delivery = ingested.delivery().settled().join();
        if (delivery.failed() > 0) {
            return failed(episode, callId, episode.enclosure() + " was ingested as call " + callId + ", but Kafka did not take "
                    + delivery.failed() + " of its " + ingested.chunks() + " chunks (" + delivery.firstFailure() + ")",
                    true, outcome);
        }
        try {
            state.record(episode, callId, Instant.now());
        } catch (IOException e) {
            return new EpisodeOutcome.Failed(episode, callId, episode.enclosure() + " was ingested as call " + callId
                    + ", but the feed state file " + state.file() + " cannot be written (" + e.getMessage()
                    + "), so the next run ingests it again", outcome);
        }
        return new EpisodeOutcome.Ingested(episode, ingested);
    }

    private EpisodeOutcome failed(Episode episode, String callId, String reason, boolean mayPass, IngestOutcome outcome) {
        if (!mayPass) {
            tries.put(episode.guid(), TRIES_PER_EPISODE);
        }
        boolean atNextPoll = following && tries.getOrDefault(episode.guid(), 0) < TRIES_PER_EPISODE;
        return new EpisodeOutcome.Failed(episode, callId, reason + (atNextPoll ? "; it is tried again at the next poll"
                : "; it is tried again on the next run"), outcome);
    }

    private CallIdentity identity(Episode episode, Feed feed) {
        Map<String, String> metadata = new LinkedHashMap<>(identity.metadata());
        metadata.put("feed.url", feedUrl.toString());
        putIfPresent(metadata, "feed.title", feed.title());
        putIfPresent(metadata, "episode.title", episode.title());
        metadata.put("episode.guid", episode.guid());
        putIfPresent(metadata, "episode.published", episode.published() != null ? episode.published().toString()
                : episode.publishedText());
        putIfPresent(metadata, "episode.duration", episode.duration());
        metadata.put("episode.url", episode.enclosure().toString());
        putIfPresent(metadata, "episode.type", episode.type().isEmpty() ? null : episode.type());
        String series = identity.series() != null ? identity.series() : seriesOf(feed);
        return new CallIdentity(identity.speakers(), series, metadata);
    }

    private static String seriesOf(Feed feed) {
        String title = feed.title();
        return title == null || title.length() <= CallIdentity.MAX_NAME ? title : title.substring(0, CallIdentity.MAX_NAME);
    }

    private static void putIfPresent(Map<String, String> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }

    /**
     * Oldest first: by publication date when every episode has one (ties in the reverse of the feed's order), else
     * in the reverse of the feed's order, since feeds list the newest first.
     */
    static List<Episode> oldestFirst(List<Episode> inFeedOrder) {
        List<Episode> episodes = new ArrayList<>(inFeedOrder);
        Collections.reverse(episodes);
        if (episodes.stream().allMatch(e -> e.published() != null)) {
            episodes.sort(Comparator.comparing(Episode::published)); // stable: ties keep the reversed order
        }
        return episodes;
    }

    /** RIFF/WAVE, the only container our own WAV reader takes. */
    private static boolean isWav(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(12);
            return head.length == 12 && Arrays.equals(head, 0, 4, new byte[] {'R', 'I', 'F', 'F'}, 0, 4)
                    && Arrays.equals(head, 8, 12, new byte[] {'W', 'A', 'V', 'E'}, 0, 4);
        }
    }

    /** True when a stop was requested within {@code wait}. */
    private boolean awaitStop(Duration wait) {
        try {
            return stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requestStop();
            return true;
        }
    }

    private static String describe(Duration interval) {
        long seconds = interval.toSeconds();
        if (seconds == 0) {
            return interval.toMillis() + " ms";
        }
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file in the system's temporary folder
        }
    }
}
