package io.emostream.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.emostream.ingest.ChunkTopic;
import io.emostream.ingest.WavFiles;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.net.SourceException;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioChunk;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A podcast host served on the loopback ({@link PodcastServer}), episodes decoded by our WAV reader and by real
 * FFmpeg, calls read back from a real broker.
 */
@Timeout(120)
class FeedIngestTest {
    private static final Path MEDIA = Path.of(System.getProperty("emostream.media.fixtures"));
    private static final Path WAVS = MEDIA.resolveSibling("audio");
    /** podcast-mono-16k.wav: 69,732 frames at 16 kHz; the mp3 and m4a were encoded from it. */
    private static final int PODCAST_FRAMES = 69_732;
    private static final String SHOW = "The Emotion Show";
    private static final Duration POLL = Duration.ofMillis(200);
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;
    private PodcastServer server;
    private ChunkPublisher publisher;
    private String topic;
    private final List<EpisodeOutcome> told = new CopyOnWriteArrayList<>();
    private final List<String> pollFailures = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @BeforeEach
    void start(TestInfo test) throws IOException {
        server = new PodcastServer();
        topic = test.getTestMethod().orElseThrow().getName();
        publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), topic));
    }

    @AfterEach
    void stop() {
        publisher.close();
        server.close();
    }

    private static PodcastServer.Item item(String guid, String title, String pubDate, String enclosure, String type) {
        return new PodcastServer.Item(guid, title, pubDate, enclosure, type);
    }

    private FileIngest files(boolean realtime) {
        return new FileIngest(publisher, new FileIngest.Options(100, realtime, List.of(), null), o -> { });
    }

    private FeedIngest feedIngest(FileIngest files, CallIdentity identity, FeedIngest.Settings settings, FeedIngest.Listener extra) {
        URI feed = server.uri("/feed.xml");
        FeedState state = FeedState.open(FeedState.defaultFile(dir.resolve("feeds"), feed), feed);
        return new FeedIngest(feed, files, state, identity, settings, new FeedIngest.Listener() {
            @Override
            public void feedRead(Feed read, int toIngest, int alreadyIngested, int leftForLater) {
                extra.feedRead(read, toIngest, alreadyIngested, leftForLater);
            }

            @Override
            public void downloading(Episode episode, long bytes, long total) {
                extra.downloading(episode, bytes, total);
            }

            @Override
            public void episodeDone(EpisodeOutcome outcome) {
                told.add(outcome);
                extra.episodeDone(outcome);
            }

            @Override
            public void pollFailed(String sentence) {
                pollFailures.add(sentence);
            }
        });
    }

    private FeedIngest feedIngest(FeedIngest.Settings settings) {
        return feedIngest(files(false), CallIdentity.NONE, settings, outcome -> { });
    }

    private static FeedIngest.Settings settings(int maxEpisodes) {
        return new FeedIngest.Settings(POLL, maxEpisodes, FeedIngest.Settings.DEFAULT.http());
    }

    private static List<String> callIds(FeedIngest.Pass pass) {
        return pass.outcomes().stream().map(EpisodeOutcome::callId).toList();
    }

    private Path wav(String name, double seconds) throws IOException {
        return WavFiles.writePcm16(dir.resolve(name), 8000, 1, WavFiles.tone(8000, seconds));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    void threeEpisodesBecomeCallsOnceAndAFourthIsFollowed() throws Exception {
        server.putMedia("one.wav", WAVS.resolve("podcast-mono-16k.wav"));
        server.putMedia("two.mp3", MEDIA.resolve("podcast-mono-16k.mp3"));
        server.putMedia("three.m4a", MEDIA.resolve("podcast-mono-16k.m4a"));
        List<PodcastServer.Item> items = new ArrayList<>(List.of(
                item("emotion-3", "Three: calm", "Thu, 07 Mar 2024 10:00:00 GMT", "media/three.m4a", "audio/x-m4a"),
                item("emotion-2", "Two: anger", "Wed, 06 Mar 2024 10:00:00 +0100", server.uri("/media/two.mp3").toString(), "audio/mpeg"),
                item("emotion-1", "One: joy", "Tue, 05 Mar 2024 10:00:00 GMT", "/media/one.wav", "audio/wav")));
        server.serveFeed(SHOW, items);

        FeedIngest.Pass first = feedIngest(FeedIngest.Settings.DEFAULT).ingestNew();

        assertThat(first.outcomes()).allMatch(EpisodeOutcome.Ingested.class::isInstance, "ingested");
        assertThat(callIds(first)).as("oldest first").containsExactly("one-joy-40a741e1", "two-anger-697cacc6",
                "three-calm-01d34ef7");
        assertThat(told).containsExactlyElementsOf(first.outcomes());
        ChunkTopic calls = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 3);
        AudioChunk two = calls.stream("two-anger-697cacc6", 0).get(0);
        assertThat(two.getSeries()).isEqualTo(SHOW);
        assertThat(two.getSource()).isEqualTo("feed:" + server.uri("/media/two.mp3"));
        assertThat(two.getSourceMetadata()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "feed.url", server.uri("/feed.xml").toString(),
                "feed.title", SHOW,
                "episode.title", "Two: anger",
                "episode.guid", "emotion-2",
                "episode.published", "2024-03-06T09:00:00Z",
                "episode.duration", "0:04",
                "episode.url", server.uri("/media/two.mp3").toString(),
                "episode.type", "audio/mpeg"));
        for (String callId : callIds(first)) {
            assertThat(calls.stream(callId, 0)).as(callId).allMatch(c -> SHOW.equals(c.getSeries()))
                    .last().matches(AudioChunk::getEndOfStream);
            assertThat(calls.stream(callId, 1)).as("%s is mono", callId).isEmpty();
        }
        assertThat(calls.audio("one-joy-40a741e1", 0)).as("the WAV episode, bit-exact")
                .isEqualTo(WavFiles.channelBytes(WAVS.resolve("podcast-mono-16k.wav"), 0));
        assertThat(calls.audio("two-anger-697cacc6", 0).length / 2.0).as("mp3, within one codec frame")
                .isCloseTo(PODCAST_FRAMES, offset(1152.0));
        assertThat(calls.audio("three-calm-01d34ef7", 0).length / 2.0).as("m4a, within one codec frame")
                .isCloseTo(PODCAST_FRAMES, offset(1024.0));

        // A second run remembers all three.
        AtomicReference<int[]> counts = new AtomicReference<>();
        FeedIngest again = feedIngest(files(false), CallIdentity.NONE, FeedIngest.Settings.DEFAULT, new FeedIngest.Listener() {
            @Override
            public void feedRead(Feed feed, int toIngest, int alreadyIngested, int leftForLater) {
                counts.set(new int[] {toIngest, alreadyIngested, leftForLater});
            }

            @Override
            public void episodeDone(EpisodeOutcome outcome) {
            }
        });
        assertThat(again.ingestNew().outcomes()).isEmpty();
        assertThat(counts.get()).containsExactly(0, 3, 0);

        // Following: the feed is polled with If-None-Match, a failing poll is one line, and a fourth episode goes in.
        server.putMedia("four.wav", wav("four.wav", 0.5));
        FeedIngest following = feedIngest(settings(FeedIngest.ALL));
        CompletableFuture<Void> follow = CompletableFuture.runAsync(() -> {
            try {
                following.follow();
            } catch (SourceException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            await("a poll answered 304", () -> server.notModified() >= 1);
            server.failFeedWith(500);
            await("a failed poll", () -> !pollFailures.isEmpty());
            server.failFeedWith(0);
            items.add(0, item("emotion-4", "Four: surprise", "Fri, 08 Mar 2024 10:00:00 GMT", "/media/four.wav", "audio/wav"));
            server.serveFeed(SHOW, items);
            await("the fourth episode", () -> told.stream().anyMatch(o -> o.episode().guid().equals("emotion-4")));
        } finally {
            following.requestStop();
        }
        follow.get(5, TimeUnit.SECONDS);

        assertThat(pollFailures.get(0)).isEqualTo(server.uri("/feed.xml") + " answered 500 Internal Server Error;"
                + " polling again in 200 ms");
        assertThat(told).hasSize(4).last().isInstanceOf(EpisodeOutcome.Ingested.class)
                .extracting(EpisodeOutcome::callId).isEqualTo("four-surprise-d07b73e5");
        assertThat(ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 1, "four-surprise-d07b73e5")
                .audio("four-surprise-d07b73e5", 0)).isEqualTo(WavFiles.channelBytes(dir.resolve("four.wav"), 0));
        assertThat(server.requests("/media/one.wav")).as("each episode fetched once").isEqualTo(1);
        assertThat(server.requests("/media/four.wav")).isEqualTo(1);
    }

    @Test
    void anEnclosureThatFailsIsOneLineAndIsIngestedOnALaterRunOnceItIsThere() throws Exception {
        server.putMedia("a.wav", wav("a.wav", 0.3));
        server.serveFeed(SHOW, List.of(
                item("b", "Bee", "Wed, 06 Mar 2024 10:00:00 GMT", "/media/b.wav", "audio/wav"),
                item("a", "Ay", "Tue, 05 Mar 2024 10:00:00 GMT", "/media/a.wav", "audio/wav")));
        CallIdentity hosts = new CallIdentity(List.of("dana"), "My Show");

        FeedIngest.Pass first = feedIngest(files(false), hosts, FeedIngest.Settings.DEFAULT, outcome -> { }).ingestNew();

        assertThat(first.outcomes()).hasSize(2);
        assertThat(first.outcomes().get(0)).isInstanceOf(EpisodeOutcome.Ingested.class);
        assertThat(first.outcomes().get(1)).isEqualTo(new EpisodeOutcome.Failed(first.outcomes().get(1).episode(),
                "bee-3e23e816", server.uri("/media/b.wav") + " answered 404 Not Found; it is tried again on the next run", null));
        assertThat(first.failures()).isEqualTo(1);

        server.putMedia("b.wav", wav("b.wav", 0.4));
        FeedIngest.Pass later = feedIngest(files(false), hosts, FeedIngest.Settings.DEFAULT, outcome -> { }).ingestNew();

        assertThat(later.outcomes()).singleElement().isInstanceOf(EpisodeOutcome.Ingested.class)
                .extracting(EpisodeOutcome::callId).isEqualTo("bee-3e23e816");
        ChunkTopic calls = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 2);
        assertThat(calls.callIds()).containsExactly("ay-ca978112", "bee-3e23e816");
        assertThat(calls.stream("bee-3e23e816", 0)).allMatch(c -> c.getSeries().equals("My Show") && c.getSpeaker().equals("dana"));
    }

    @Test
    void anEpisodeThatCannotBeDecodedIsOneLineAndTheOthersGoOn() throws Exception {
        server.putMedia("noise.mp3", WAVS.resolve("bad-garbage.wav"));
        server.putMedia("fine.wav", wav("fine.wav", 0.2));
        server.serveFeed(SHOW, List.of(
                item("fine", "Fine", "Wed, 06 Mar 2024 10:00:00 GMT", "/media/fine.wav", "audio/wav"),
                item("noise", "Noise", "Tue, 05 Mar 2024 10:00:00 GMT", "/media/noise.mp3", "audio/mpeg")));

        FeedIngest.Pass pass = feedIngest(FeedIngest.Settings.DEFAULT).ingestNew();

        assertThat(pass.outcomes()).extracting(o -> o.getClass().getSimpleName()).containsExactly("Failed", "Ingested");
        EpisodeOutcome.Failed noise = (EpisodeOutcome.Failed) pass.outcomes().get(0);
        assertThat(noise.reason()).startsWith(server.uri("/media/noise.mp3") + " ")
                .endsWith("; it is tried again on the next run").doesNotContain("\n");
        assertThat(noise.ingest()).isInstanceOf(IngestOutcome.Rejected.class);
    }

    @Test
    void aCapTakesTheNewestEpisodesAndLeavesTheOthersForALaterRun() throws Exception {
        List<PodcastServer.Item> items = new ArrayList<>();
        for (int day = 5; day >= 1; day--) {
            server.putMedia("d" + day + ".wav", wav("d" + day + ".wav", 0.1));
            items.add(item("d" + day, "Day " + day, "0" + day + " Mar 2024 10:00:00 GMT", "/media/d" + day + ".wav", "audio/wav"));
        }
        server.serveFeed(SHOW, items);
        AtomicReference<int[]> counts = new AtomicReference<>();
        FeedIngest capped = feedIngest(files(false), CallIdentity.NONE, settings(2), new FeedIngest.Listener() {
            @Override
            public void feedRead(Feed feed, int toIngest, int alreadyIngested, int leftForLater) {
                counts.set(new int[] {toIngest, alreadyIngested, leftForLater});
            }

            @Override
            public void episodeDone(EpisodeOutcome outcome) {
            }
        });

        assertThat(capped.ingestNew().outcomes()).extracting(o -> o.episode().guid()).containsExactly("d4", "d5");
        assertThat(counts.get()).containsExactly(2, 0, 3);
        assertThat(capped.ingestNew().outcomes()).as("the same process does not go back for them").isEmpty();

        assertThat(feedIngest(settings(FeedIngest.ALL)).ingestNew().outcomes()).extracting(o -> o.episode().guid())
                .as("a later run without a cap").containsExactly("d1", "d2", "d3");
    }

    @Test
    void aStopDuringAnEpisodeEndsItsCallAndLeavesItForTheNextRun() throws Exception {
        server.putMedia("long.wav", wav("long.wav", 20));
        server.serveFeed(SHOW, List.of(item("long", "Long", "Tue, 05 Mar 2024 10:00:00 GMT", "/media/long.wav", "audio/wav")));
        AtomicReference<FeedIngest> ingest = new AtomicReference<>();
        ingest.set(feedIngest(files(true), CallIdentity.NONE, FeedIngest.Settings.DEFAULT, new FeedIngest.Listener() {
            @Override
            public void downloading(Episode episode, long bytes, long total) {
                if (bytes == total) {
                    // The recording is in; its call plays at real time for 20 s and is stopped half a second in.
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(() -> ingest.get().requestStop());
                }
            }

            @Override
            public void episodeDone(EpisodeOutcome outcome) {
            }
        }));

        FeedIngest.Pass stopped = ingest.get().ingestNew();

        EpisodeOutcome.Stopped outcome = (EpisodeOutcome.Stopped) stopped.outcomes().get(0);
        assertThat(((IngestOutcome.Ingested) outcome.ingest()).warnings()).singleElement().asString()
                .startsWith("stopped on request after");
        ChunkTopic cut = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 1, "long-fc66f021");
        assertThat(cut.stream("long-fc66f021", 0)).as("the call was ended").last().matches(AudioChunk::getEndOfStream);
        assertThat(cut.audio("long-fc66f021", 0).length).isLessThan(8000 * 2 * 10);

        FeedIngest.Pass next = feedIngest(FeedIngest.Settings.DEFAULT).ingestNew();

        assertThat(next.outcomes()).singleElement().isInstanceOf(EpisodeOutcome.Ingested.class)
                .extracting(EpisodeOutcome::callId).isEqualTo("long-fc66f021");
        assertThat(((EpisodeOutcome.Ingested) next.outcomes().get(0)).call().seconds()).isEqualTo(20.0);
    }

    @Test
    void aFeedUrlThatServesAnHtmlPageIsOneSentence() {
        server.serveDocument("<!DOCTYPE html><html><body><h1>Welcome to our podcast</h1></body></html>", "text/html");

        assertThatThrownBy(() -> feedIngest(FeedIngest.Settings.DEFAULT).ingestNew()).isInstanceOf(SourceException.class)
                .hasMessage(server.uri("/feed.xml") + " is not a podcast feed (RSS): it is an HTML page");
    }

    @Test
    void followingAFeedThatCannotBeReadEndsAtOnce() {
        server.failFeedWith(404);

        assertThatThrownBy(() -> feedIngest(settings(FeedIngest.ALL)).follow()).isInstanceOf(SourceException.class)
                .hasMessage(server.uri("/feed.xml") + " answered 404 Not Found");
    }

    @Test
    void aFeedWithAnExternalEntityIsRefusedAndTheEntityIsNeverFetched() {
        server.putMedia("secret.txt", dir.resolve("secret.txt"));
        server.serveDocument("""
                <?xml version="1.0"?>
                <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "%s"> ]>
                <rss><channel><title>&xxe;</title></channel></rss>
                """.formatted(server.uri("/media/secret.txt")), "application/rss+xml");

        assertThatThrownBy(() -> feedIngest(FeedIngest.Settings.DEFAULT).ingestNew()).isInstanceOf(SourceException.class)
                .hasMessage(server.uri("/feed.xml") + " is not a podcast feed (RSS): it is XML that declares its own"
                        + " entities, which are refused (they can make a parser read local files)");
        assertThat(server.requests("/media/secret.txt")).isZero();
    }
}
