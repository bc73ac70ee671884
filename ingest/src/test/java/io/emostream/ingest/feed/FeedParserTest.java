package io.emostream.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.emostream.ingest.net.SourceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedParserTest {
    private static final URI FEED = URI.create("https://podcasts.example.com/shows/emotion/feed.xml");

    private static Feed parse(String xml) throws SourceException {
        return FeedParser.parse(xml.getBytes(StandardCharsets.UTF_8), "application/rss+xml", FEED);
    }

    private static void assertNotAFeed(String document, String contentType, String kind) {
        assertThatThrownBy(() -> FeedParser.parse(document.getBytes(StandardCharsets.UTF_8), contentType, FEED))
                .isInstanceOf(SourceException.class)
                .hasMessage(FEED + " is not a podcast feed (RSS): it is " + kind)
                .matches(e -> !((SourceException) e).retriable(), "not retriable");
    }

    @Test
    void anRss2PodcastFeedGivesItsEpisodesInFeedOrder() throws SourceException {
        Feed feed = parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
                     xmlns:atom="http://www.w3.org/2005/Atom">
                  <channel>
                    <atom:link href="https://podcasts.example.com/shows/emotion/feed.xml" rel="self"/>
                    <image><title>Logo of the show</title><url>https://example.com/logo.png</url></image>
                    <itunes:title>iTunes title</itunes:title>
                    <title>  The Emotion
                       Show </title>
                    <item>
                      <title><![CDATA[Three: <b>anger</b> & calm]]></title>
                      <guid isPermaLink="false">emotion-3</guid>
                      <pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
                      <itunes:duration>1:02:03</itunes:duration>
                      <enclosure url="episodes/three.mp3" type="audio/mpeg" length="123456"/>
                    </item>
                    <item>
                      <title>A post without audio</title>
                      <guid>post-1</guid>
                    </item>
                    <item>
                      <title>Two</title>
                      <pubDate>sometime in February</pubDate>
                      <enclosure url="https://cdn.example.com/two.m4a" type="Audio/X-M4A" length="n/a"/>
                      <enclosure url="https://cdn.example.com/two-alternative.mp3" type="audio/mpeg"/>
                    </item>
                    <item>
                      <title>One, published twice by mistake</title>
                      <guid>emotion-1</guid>
                      <enclosure url="/media/one file.wav" type="audio/wav"/>
                    </item>
                    <item>
                      <title>One again</title>
                      <guid>emotion-1</guid>
                      <enclosure url="/media/one-again.wav" type="audio/wav"/>
                    </item>
                  </channel>
                </rss>
                """);

        assertThat(feed.title()).isEqualTo("The Emotion Show");
        assertThat(feed.uri()).isEqualTo(FEED);
        assertThat(feed.itemsWithoutEnclosure()).isEqualTo(1);
        assertThat(feed.episodes()).containsExactly(
                new Episode("emotion-3", "Three: <b>anger</b> & calm",
                        URI.create("https://podcasts.example.com/shows/emotion/episodes/three.mp3"), "audio/mpeg", 123456,
                        Instant.parse("2024-03-05T10:00:00Z"), "Tue, 05 Mar 2024 10:00:00 GMT", "1:02:03"),
                new Episode("https://cdn.example.com/two.m4a", "Two", URI.create("https://cdn.example.com/two.m4a"),
                        "audio/x-m4a", -1, null, "sometime in February", null),
                new Episode("emotion-1", "One, published twice by mistake",
                        URI.create("https://podcasts.example.com/media/one%20file.wav"), "audio/wav", -1, null, null, null));
    }

    @Test
    void anAtomFeedWithEnclosureLinksIsReadToo() throws SourceException {
        Feed feed = parse("""
                <feed xmlns="http://www.w3.org/2005/Atom">
                  <title>Atom Show</title>
                  <entry>
                    <title>First</title>
                    <id>tag:example.com,2024:1</id>
                    <updated>2024-03-06T08:00:00Z</updated>
                    <published>2024-03-05T10:00:00+01:00</published>
                    <link rel="alternate" href="https://example.com/first.html"/>
                    <link rel="enclosure" href="first.opus" type="audio/ogg" length="42"/>
                  </entry>
                  <entry>
                    <title>Only text</title>
                    <id>tag:example.com,2024:2</id>
                  </entry>
                </feed>
                """);

        assertThat(feed.title()).isEqualTo("Atom Show");
        assertThat(feed.itemsWithoutEnclosure()).isEqualTo(1);
        assertThat(feed.episodes()).containsExactly(new Episode("tag:example.com,2024:1", "First",
                URI.create("https://podcasts.example.com/shows/emotion/first.opus"), "audio/ogg", 42,
                Instant.parse("2024-03-05T09:00:00Z"), "2024-03-05T10:00:00+01:00", null));
    }

    @Test
    void rss10ItemsBesideTheChannelAndDublinCoreDatesAreRead() throws SourceException {
        Feed feed = parse("""
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                         xmlns:dc="http://purl.org/dc/elements/1.1/">
                  <channel><title>RDF Show</title></channel>
                  <item><title>Old</title><dc:date>2004-01-02T03:04:05Z</dc:date><enclosure url="old.mp3"/></item>
                </rdf:RDF>
                """);

        assertThat(feed.title()).isEqualTo("RDF Show");
        assertThat(feed.episodes()).singleElement().satisfies(e -> {
            assertThat(e.published()).isEqualTo(Instant.parse("2004-01-02T03:04:05Z"));
            assertThat(e.enclosure()).isEqualTo(URI.create("https://podcasts.example.com/shows/emotion/old.mp3"));
        });
    }

    @Test
    void anOldRss091DoctypeIsSkippedWithoutFetchingIt() throws SourceException {
        Feed feed = parse("""
                <?xml version="1.0"?>
                <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
                  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
                <rss version="0.91"><channel><title>Old &amp; Gold</title></channel></rss>
                """);

        assertThat(feed.title()).isEqualTo("Old & Gold");
        assertThat(feed.episodes()).isEmpty();
    }

    @Test
    void documentsThatAreNoFeedAreNamedInOneSentence() {
        assertNotAFeed("<!DOCTYPE html>\n<html><body>Not found</body></html>", "text/html", "an HTML page");
        assertNotAFeed("\uFEFF  <html><head><title>Blog</title></head></html>", "", "an HTML page");
        assertNotAFeed("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>",
                "application/xhtml+xml", "an HTML page");
        assertNotAFeed("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}", "application/json", "JSON");
        assertNotAFeed("", "application/rss+xml", "empty");
        assertNotAFeed("ID3\u0004\u0000garbage", "audio/mpeg", "a recording (audio/mpeg), not a list of episodes");
        assertNotAFeed("just some words", "text/plain", "not XML (text/plain)");
        assertNotAFeed("<?xml version=\"1.0\"?><opml version=\"2.0\"><body/></opml>", "text/xml",
                "an XML document whose root element is <opml>, not <rss>");
        assertNotAFeed("<rss><channel><title>Broken</channel></rss>", "application/rss+xml",
                "not well-formed XML (line 1: The element type \"title\" must be terminated by the matching end-tag \"</title>\")");
    }

    @Test
    void anExternalEntityIsRefusedAndTheFileItNamesIsNeverRead(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-TOKEN");
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "%s"> ]>
                <rss><channel><title>&xxe;</title></channel></rss>
                """.formatted(secret.toUri());

        assertNotAFeed(xxe, "application/rss+xml",
                "XML that declares its own entities, which are refused (they can make a parser read local files)");
    }

    @Test
    void entityExpansionIsRefused() {
        String laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE rss [
                  <!ENTITY lol "lol">
                  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
                ]>
                <rss><channel><title>&lol3;</title></channel></rss>
                """;

        assertNotAFeed(laughs, "application/rss+xml",
                "XML that declares its own entities, which are refused (they can make a parser read local files)");
    }

    @Test
    void noExternalDtdOrParameterEntityIsFetched() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] dtd = "<!ENTITY title \"from the attacker\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, dtd.length);
            exchange.getResponseBody().write(dtd);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Feed external = parse("""
                    <?xml version="1.0"?>
                    <!DOCTYPE rss SYSTEM "%s/evil.dtd">
                    <rss><channel><title>Plain</title></channel></rss>
                    """.formatted(base));
            assertThat(external.title()).isEqualTo("Plain");
            assertThatThrownBy(() -> parse("""
                    <?xml version="1.0"?>
                    <!DOCTYPE rss [ <!ENTITY %% remote SYSTEM "%s/evil.dtd"> %%remote; ]>
                    <rss><channel><title>&title;</title></channel></rss>
                    """.formatted(base))).isInstanceOf(SourceException.class).hasMessageContaining("declares its own entities");
            assertThat(requests).as("requests the parser made to the attacker's server").hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aNulInsideADoctypeIsNotAFeed() {
        // Found by FeedParserFuzzTest: the JDK's parser reports it under a message key it lacks, so a
        // MissingResourceException escaped instead of the sentence.
        assertNotAFeed("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [ <!ENTITY x SYSTEM \"file:///e\0\"> ]>\n<rss/>",
                "application/rss+xml",
                "XML that declares its own entities, which are refused (they can make a parser read local files)");
        assertNotAFeed("<!DOCTYPE rss [ \0 ]><rss/>", "application/rss+xml", "not well-formed XML (InvalidCharInDTD)");
    }

    @Test
    void theParsersReasonStaysOnOneLine() {
        // Found by FeedParserFuzzTest: the parser quotes the document in its reason, here a version with a line break.
        assertNotAFeed("<?xml version=\"1\n2\"?><rss/>", "application/rss+xml",
                "not well-formed XML (line 2: XML version \"1 2\" is not supported, only XML 1.0 is supported)");
    }
}
