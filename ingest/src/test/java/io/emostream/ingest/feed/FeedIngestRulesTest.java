package io.emostream.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.net.HttpGet;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain rules of a pass: the order episodes go in, and the settings a user can get wrong. */
class FeedIngestRulesTest {
    private static Episode episode(String guid, String published) {
        return new Episode(guid, guid, URI.create("https://example.com/" + guid + ".mp3"), "", -1,
                published == null ? null : Instant.parse(published), published, null);
    }

    @Test
    void episodesGoInByDateWhenAllHaveOneElseInTheReverseOfTheFeedsOrder() {
        List<Episode> dated = List.of(episode("b", "2024-03-02T00:00:00Z"), episode("c", "2024-03-03T00:00:00Z"),
                episode("tie-newer-in-feed", "2024-03-01T00:00:00Z"), episode("tie", "2024-03-01T00:00:00Z"));
        assertThat(FeedIngest.oldestFirst(dated)).extracting(Episode::guid)
                .containsExactly("tie", "tie-newer-in-feed", "b", "c");

        List<Episode> oneUndated = List.of(episode("c", "2024-03-03T00:00:00Z"), episode("b", null),
                episode("a", "2024-03-04T00:00:00Z"));
        assertThat(FeedIngest.oldestFirst(oneUndated)).extracting(Episode::guid).containsExactly("a", "b", "c");
    }

    @Test
    void settingsThatCannotWorkAreOneSentence() {
        assertThatThrownBy(() -> new FeedIngest.Settings(Duration.ZERO, 1, HttpGet.Settings.DEFAULT))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the interval between polls of a feed must be longer than 0, not PT0S");
        assertThatThrownBy(() -> new FeedIngest.Settings(Duration.ofMinutes(1), 0, HttpGet.Settings.DEFAULT))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the number of episodes per run must be at least 1, not 0");
    }
}
