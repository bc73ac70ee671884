package io.emostream.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.InvalidInputException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedStateTest {
    private static final URI FEED = URI.create("https://Podcasts.Example.com/shows/emotion/feed.xml");

    @TempDir
    Path dir;

    private static Episode episode(String guid, String title, String published) {
        return new Episode(guid, title, URI.create("https://example.com/" + guid + ".mp3"), "audio/mpeg", -1,
                published == null ? null : Instant.parse(published), published, null);
    }

    @Test
    void theDefaultFileIsNamedAfterTheHostAndAHashOfTheUrl() {
        assertThat(FeedState.defaultFile(dir, FEED)).isEqualTo(dir.resolve("podcasts.example.com-e2a01d6c.json"));
        assertThat(FeedState.defaultFile(dir, URI.create("https://podcasts.example.com/other.xml")))
                .isNotEqualTo(FeedState.defaultFile(dir, FEED));
    }

    @Test
    void episodesRecordedAreRememberedByTheNextProcessInAFileAPersonCanRead() throws IOException {
        Path file = dir.resolve("feeds/nested/state.json");
        FeedState state = FeedState.open(file, FEED);
        assertThat(file).exists();
        assertThat(state.size()).isZero();

        state.record(episode("emotion-1", "One \"quoted\"", "2024-03-05T10:00:00Z"), "one-quoted-12345678",
                Instant.parse("2024-03-07T12:00:00Z"));
        state.record(episode("emotion-2", null, null), "emotion-2-87654321", Instant.parse("2024-03-07T12:01:00Z"));

        FeedState reread = FeedState.open(file, FEED);
        assertThat(reread.contains("emotion-1")).isTrue();
        assertThat(reread.contains("emotion-2")).isTrue();
        assertThat(reread.contains("emotion-3")).isFalse();
        assertThat(Files.readString(file)).isEqualTo("""
                {
                  "feed" : "https://Podcasts.Example.com/shows/emotion/feed.xml",
                  "note" : "Episodes of this feed that emostream ingested completely; remove an entry to ingest that episode again.",
                  "episodes" : [ {
                    "guid" : "emotion-1",
                    "title" : "One \\"quoted\\"",
                    "callId" : "one-quoted-12345678",
                    "published" : "2024-03-05T10:00:00Z",
                    "ingestedAt" : "2024-03-07T12:00:00Z"
                  }, {
                    "guid" : "emotion-2",
                    "title" : null,
                    "callId" : "emotion-2-87654321",
                    "published" : null,
                    "ingestedAt" : "2024-03-07T12:01:00Z"
                  } ]
                }
                """);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void aStateFileThatCannotBeUnderstoodIsNamedInOneSentence() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\n  \"episodes\": [ {\"guid\": \"a\"\n");
        Path wrong = Files.writeString(dir.resolve("wrong.json"), "[1, 2]");

        assertThatThrownBy(() -> FeedState.open(broken, FEED)).isInstanceOf(InvalidInputException.class)
                .hasMessage("the feed state file " + broken + " is not valid JSON (line 3); mend it, or move it away"
                        + " to start afresh (every episode is then ingested again)");
        assertThatThrownBy(() -> FeedState.open(wrong, FEED)).isInstanceOf(InvalidInputException.class)
                .hasMessage("the feed state file " + wrong + " does not hold a list of episodes; move it away to start"
                        + " afresh (every episode is then ingested again)");
    }

    @Test
    void aStateFileThatCannotBeCreatedIsNamedInOneSentence() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        Path file = notAFolder.resolve("state.json");

        assertThatThrownBy(() -> FeedState.open(file, FEED)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the feed state file " + file + " cannot be created (");
    }
}
