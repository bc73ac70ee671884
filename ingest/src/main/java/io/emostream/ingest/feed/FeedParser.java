package io.emostream.ingest.feed;

import io.emostream.ingest.net.SourceException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a podcast feed: RSS 2.0 (and 0.92, 1.0), or Atom with {@code <link rel="enclosure">}. Each item with an
 * enclosure is an {@link Episode}; items without one are counted and skipped. A document that is no feed at all
 * (an HTML page, JSON, audio) is refused with one sentence saying what it is.
 *
 * <p>The JDK's StAX parser reads it with DTDs off and external entities off: a feed cannot make us read a local
 * file or another URL (XXE), nor expand entities without bound. A DOCTYPE line alone (old RSS 0.91 feeds have one)
 * is skipped; a feed that declares its own entities is refused.
 */
public final class FeedParser {
    /** Feeds with a long back catalogue run to a few MiB; anything much larger is not a feed. */
    public static final int MAX_FEED_BYTES = 32 << 20;

    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    private static final String RSS_1 = "http://purl.org/rss/1.0/";
    private static final String DUBLIN_CORE = "http://purl.org/dc/elements/1.1/";

    private FeedParser() {
    }

    /**
     * @param contentType the media type the server declared (lower case, without parameters), or ""
     * @param uri         where the document came from: enclosure URLs resolve against it, and messages name it
     */
    public static Feed parse(byte[] document, String contentType, URI uri) throws SourceException {
        String kind = notXml(document, contentType);
        if (kind != null) {
            throw notAFeed(uri, kind);
        }
        try {
            XMLStreamReader xml = factory().createXMLStreamReader(new ByteArrayInputStream(document));
            try {
                while (xml.next() != XMLStreamConstants.START_ELEMENT) {
                    // the prolog: declaration, comments, a DOCTYPE line
                }
                String root = xml.getLocalName();
                if (root.equals("rss") || root.equals("RDF")) {
                    return rss(xml, uri);
                }
                if (root.equals("feed") && (ATOM.equals(xml.getNamespaceURI()) || xml.getNamespaceURI() == null)) {
                    return atom(xml, uri);
                }
                throw notAFeed(uri, root.equalsIgnoreCase("html") ? "an HTML page"
                        : "an XML document whose root element is <" + xml.getName().getLocalPart() + ">, not <rss>");
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw notAFeed(uri, malformed(document, e));
        } catch (MissingResourceException e) {
            // The JDK's parser reports some faults of a DOCTYPE (a NUL in it) under a message key it lacks.
            throw notAFeed(uri, malformed(document, e.getKey(), -1));
        }
    }

    private static XMLInputFactory factory() {
        // The JDK's own implementation, whatever else is on the class path, so the settings below are known to hold.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    /** What the document is when it plainly is not XML, or null when it may be. */
    private static String notXml(byte[] document, String contentType) {
        if (document.length >= 2 && (document[0] == (byte) 0xFE && document[1] == (byte) 0xFF
                || document[0] == (byte) 0xFF && document[1] == (byte) 0xFE)) {
            return null; // UTF-16 with its byte-order mark: the parser reads it
        }
        int start = document.length >= 3 && document[0] == (byte) 0xEF && document[1] == (byte) 0xBB
                && document[2] == (byte) 0xBF ? 3 : 0;
        String head = new String(document, start, Math.min(512, document.length - start), StandardCharsets.ISO_8859_1)
                .stripLeading().toLowerCase(Locale.ROOT);
        if (head.isEmpty()) {
            return "empty";
        }
        if (head.startsWith("<!doctype html") || head.startsWith("<html")) {
            return "an HTML page";
        }
        if (head.startsWith("<")) {
            return null;
        }
        if (head.startsWith("{") || head.startsWith("[")) {
            return "JSON";
        }
        if (contentType.startsWith("audio/") || contentType.startsWith("video/")) {
            return "a recording (" + contentType + "), not a list of episodes";
        }
        return contentType.isEmpty() ? "not XML" : "not XML (" + contentType + ")";
    }

    private static String malformed(byte[] document, XMLStreamException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int at = message.indexOf("Message: ");
        // The parser quotes the document, line breaks and all: collapsed, the sentence stays on one line.
        String quoted = collapse(at < 0 ? message : message.substring(at + "Message: ".length()));
        String reason = quoted == null ? "" : quoted.replaceAll("\\.$", "");
        return malformed(document, reason, e.getLocation() == null ? -1 : e.getLocation().getLineNumber());
    }

    private static String malformed(byte[] document, String reason, int line) {
        if (new String(document, StandardCharsets.ISO_8859_1).contains("<!ENTITY")) {
            return "XML that declares its own entities, which are refused (they can make a parser read local files)";
        }
        return "not well-formed XML (" + (line > 0 ? "line " + line + ": " : "") + reason + ")";
    }

    private static SourceException notAFeed(URI uri, String kind) {
        return new SourceException(uri + " is not a podcast feed (RSS): it is " + kind, false);
    }

    /** RSS 2.0 (items inside the channel) and RSS 1.0 (items beside it): items are taken wherever they are. */
    private static Feed rss(XMLStreamReader xml, URI uri) throws XMLStreamException {
        String title = null;
        Map<String, Episode> episodes = new LinkedHashMap<>();
        int skipped = 0;
        Deque<String> open = new ArrayDeque<>(List.of(xml.getLocalName()));
        while (!open.isEmpty()) {
            if (!nextChild(xml)) {
                open.pop();
                continue;
            }
            String name = xml.getLocalName();
            if (name.equals("item")) {
                Episode episode = rssItem(xml, uri);
                if (episode == null) {
                    skipped++;
                } else {
                    episodes.putIfAbsent(episode.guid(), episode); // a guid repeated by mistake is one episode
                }
            } else if (name.equals("title") && isRss(xml) && "channel".equals(open.peek()) && title == null) {
                title = collapse(text(xml));
            } else {
                open.push(name);
            }
        }
        return new Feed(uri, title, episodes.values().stream().toList(), skipped);
    }

    private static Episode rssItem(XMLStreamReader xml, URI base) throws XMLStreamException {
        String title = null;
        String guid = null;
        String pubDate = null;
        String dcDate = null;
        String duration = null;
        Map<String, String> enclosure = null;
        while (nextChild(xml)) {
            String name = xml.getLocalName();
            if (name.equals("enclosure") && isRss(xml) && enclosure == null) {
                enclosure = attributes(xml);
                skip(xml);
            } else if (isItunesDuration(xml)) {
                duration = collapse(text(xml));
            } else if (name.equals("date") && DUBLIN_CORE.equals(xml.getNamespaceURI())) {
                dcDate = collapse(text(xml));
            } else if (isRss(xml)) {
                switch (name) {
                    case "title" -> title = collapse(text(xml));
                    case "guid" -> guid = collapse(text(xml));
                    case "pubDate" -> pubDate = collapse(text(xml));
                    default -> skip(xml);
                }
            } else {
                skip(xml);
            }
        }
        return episode(base, title, guid, pubDate != null ? pubDate : dcDate, duration, enclosure, "url");
    }

    private static Feed atom(XMLStreamReader xml, URI uri) throws XMLStreamException {
        String title = null;
        Map<String, Episode> episodes = new LinkedHashMap<>();
        int skipped = 0;
        while (nextChild(xml)) {
            String name = xml.getLocalName();
            if (name.equals("title") && title == null) {
                title = collapse(text(xml));
            } else if (name.equals("entry")) {
                Episode episode = atomEntry(xml, uri);
                if (episode == null) {
                    skipped++;
                } else {
                    episodes.putIfAbsent(episode.guid(), episode);
                }
            } else {
                skip(xml);
            }
        }
        return new Feed(uri, title, episodes.values().stream().toList(), skipped);
    }

    private static Episode atomEntry(XMLStreamReader xml, URI base) throws XMLStreamException {
        String title = null;
        String id = null;
        String published = null;
        String updated = null;
        String duration = null;
        Map<String, String> enclosure = null;
        while (nextChild(xml)) {
            String name = xml.getLocalName();
            if (isItunesDuration(xml)) {
                duration = collapse(text(xml));
                continue;
            }
            switch (name) {
                case "title" -> title = collapse(text(xml));
                case "id" -> id = collapse(text(xml));
                case "published" -> published = collapse(text(xml));
                case "updated" -> updated = collapse(text(xml));
                case "link" -> {
                    Map<String, String> link = attributes(xml);
                    if (enclosure == null && "enclosure".equals(link.get("rel"))) {
                        enclosure = link;
                    }
                    skip(xml);
                }
                default -> skip(xml);
            }
        }
        return episode(base, title, id, published != null ? published : updated, duration, enclosure, "href");
    }

    /** The episode, or null when the item has no enclosure with a URL that can be used. */
    private static Episode episode(URI base, String title, String guid, String date, String duration,
                                   Map<String, String> enclosure, String urlAttribute) {
        if (enclosure == null) {
            return null;
        }
        String url = enclosure.getOrDefault(urlAttribute, "").strip();
        if (url.isEmpty()) {
            return null;
        }
        URI resolved;
        try {
            // Feeds often leave spaces in file names unescaped.
            resolved = base.resolve(url.replace(" ", "%20"));
        } catch (IllegalArgumentException e) {
            return null;
        }
        long length;
        try {
            length = Long.parseLong(enclosure.getOrDefault("length", "").strip());
        } catch (NumberFormatException e) {
            length = -1;
        }
        String type = enclosure.getOrDefault("type", "").strip().toLowerCase(Locale.ROOT);
        return new Episode(guid != null ? guid : resolved.toString(), title, resolved, type, length, PubDates.parse(date),
                date, duration);
    }

    /** Elements of RSS itself: no namespace (RSS 2.0) or RSS 1.0's, not another vocabulary's {@code title}. */
    private static boolean isRss(XMLStreamReader xml) {
        String namespace = xml.getNamespaceURI();
        return namespace == null || namespace.isEmpty() || namespace.equals(RSS_1);
    }

    /**
     * Moves to the next child's start tag (true) or to the end tag of the current element (false); text and
     * comments between child elements are passed over.
     */
    private static boolean nextChild(XMLStreamReader xml) throws XMLStreamException {
        while (true) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
        }
    }

    private static boolean isItunesDuration(XMLStreamReader xml) {
        // Some feeds spell the iTunes namespace in other cases; the prefix is what they all agree on.
        return xml.getLocalName().equals("duration")
                && (ITUNES.equalsIgnoreCase(xml.getNamespaceURI()) || "itunes".equals(xml.getPrefix()));
    }

    /** The attributes of the current element by local name. */
    private static Map<String, String> attributes(XMLStreamReader xml) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            attributes.put(xml.getAttributeLocalName(i), xml.getAttributeValue(i));
        }
        return attributes;
    }

    /** All the text inside the current element, markup inside it dropped; leaves the reader on its end tag. */
    private static String text(XMLStreamReader xml) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        for (int depth = 1; depth > 0; ) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                    || event == XMLStreamConstants.SPACE) {
                text.append(xml.getText());
            }
        }
        return text.toString();
    }

    private static void skip(XMLStreamReader xml) throws XMLStreamException {
        text(xml);
    }

    /** Whitespace and control characters collapsed to single spaces; null for nothing. */
    private static String collapse(String text) {
        String collapsed = text.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        return collapsed.isEmpty() ? null : collapsed;
    }
}
