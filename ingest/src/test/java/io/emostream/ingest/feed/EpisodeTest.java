package io.emostream.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.ingest.chunk.CallIds;
import java.net.URI;
import org.junit.jupiter.api.Test;

class EpisodeTest {
    private static Episode episode(String title, String guid, String url) {
        return new Episode(guid, title, URI.create(url), "audio/mpeg", -1, null, null, null);
    }

    @Test
    void theCallIdIsASlugOfTheTitleAndAHashOfTheGuid() {
        assertThat(episode("Épisode 12: Ça va?", "urn:uuid:1", "https://example.com/e12.mp3").callId())
                .isEqualTo("episode-12-ca-va-b362f508");
        assertThat(episode("Épisode 12: Ça va?", "urn:uuid:2", "https://example.com/e12.mp3").callId())
                .as("another guid, another call").isEqualTo("episode-12-ca-va-cd9a9e60");
        assertThat(episode("  --The / Show!! 3  ", "urn:uuid:1", "https://example.com/x.mp3").callId())
                .isEqualTo("the-show-3-b362f508");
    }

    @Test
    void withoutAUsableTitleTheFileNameOrAWordStandsIn() {
        assertThat(episode(null, "g", "https://example.com/shows/Ep 7.mp3?x=1".replace(" ", "%20")).callId())
                .isEqualTo("ep-7-cd0aa985");
        assertThat(episode("第一集", "g", "https://example.com/1.mp3").callId()).isEqualTo("episode-cd0aa985");
    }

    @Test
    void aLongTitleIsCutToSixtyCharactersAndTheIdIsValid() {
        String id = episode("A very long title ".repeat(20), "g", "https://example.com/1.mp3").callId();
        assertThat(id).isEqualTo("a-very-long-title-a-very-long-title-a-very-long-title-a-very-cd0aa985");
        assertThat(CallIds.problemWith(id)).isNull();
    }
}
