package io.emostream.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.emostream.ingest.chunk.CallIds;
import io.emostream.ingest.net.SourceException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any document fetched as a podcast feed is a feed of episodes or one sentence saying it is not one, never another
 * exception: each episode has a distinct guid, an absolute enclosure and a valid call id; a title is one line of
 * collapsed whitespace; no entity the document declares is expanded into what is read (and Jazzer's own detectors
 * report a parser that opens a connection, as an external entity or DTD would make it). The
 * unit tests run the seeds and past findings (in {@code src/test/resources/.../FeedParserFuzzTestInputs});
 * {@code bin/fuzz} fuzzes it for a while.
 */
class FeedParserFuzzTest {
    private static final URI FEED = URI.create("https://podcasts.example.com/shows/emotion/feed.xml");
    private static final Pattern DECLARED = Pattern.compile("<!ENTITY\\s+\\w+\\s+\"(\\w{4,})\"");

    @FuzzTest
    void anyDocumentIsAFeedOrOneSentence(byte[] document) {
        Feed feed;
        try {
            feed = FeedParser.parse(document, "application/rss+xml", FEED);
        } catch (SourceException refused) {
            assertThat(refused.getMessage()).startsWith(FEED + " is not a podcast feed").doesNotContain("\n");
            assertThat(refused.retriable()).isFalse();
            return;
        }
        assertThat(feed.uri()).isEqualTo(FEED);
        assertCollapsed(feed.title());
        assertThat(feed.itemsWithoutEnclosure()).isNotNegative();
        assertThat(feed.episodes().size() + feed.itemsWithoutEnclosure()).isLessThanOrEqualTo(starts(document));
        Set<String> guids = new HashSet<>();
        for (Episode episode : feed.episodes()) {
            assertThat(guids.add(episode.guid())).as("guid %s is new", episode.guid()).isTrue();
            assertThat(episode.enclosure().isAbsolute()).as("%s is absolute", episode.enclosure()).isTrue();
            assertThat(episode.length()).isGreaterThanOrEqualTo(-1);
            assertCollapsed(episode.title());
            assertThat(CallIds.problemWith(episode.callId())).isNull();
            assertThat(episode.label()).isNotNull();
        }
        assertNoEntityExpanded(document, feed);
    }

    /**
     * An entity declared with a plain value that appears nowhere else in the document: that value in any text read
     * can only have come from expanding the entity.
     */
    private static void assertNoEntityExpanded(byte[] document, Feed feed) {
        String text = new String(document, StandardCharsets.ISO_8859_1);
        if (text.contains("&#")) {
            return; // character references could spell the value out
        }
        Matcher declared = DECLARED.matcher(text);
        while (declared.find()) {
            String value = declared.group(1);
            if (text.indexOf(value) == text.lastIndexOf(value)) {
                List<String> read = new ArrayList<>();
                read.add(feed.title());
                for (Episode episode : feed.episodes()) {
                    read.addAll(Arrays.asList(episode.guid(), episode.title(), episode.enclosure().toString(),
                            episode.type(), episode.publishedText(), episode.duration()));
                }
                assertThat(read).allSatisfy(field -> assertThat(String.valueOf(field)).doesNotContain(value));
            }
        }
    }

    /** Null, or text with single spaces for whitespace and no control characters. */
    private static void assertCollapsed(String text) {
        if (text != null) {
            assertThat(text).isNotBlank().isEqualTo(text.strip()).doesNotContain("  ")
                    .doesNotContainPattern("[\\s&&[^ ]]|\\p{Cntrl}");
        }
    }

    /** How many tags the document could start: every item is one. */
    private static int starts(byte[] document) {
        int starts = 0;
        for (byte b : document) {
            if (b == '<') {
                starts++;
            }
        }
        return starts;
    }
}
