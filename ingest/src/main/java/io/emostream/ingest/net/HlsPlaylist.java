package io.emostream.ingest.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HLS playlist (RFC 8216) as far as audio needs it: a multivariant playlist lists variants and audio renditions
 * to choose from; a media playlist lists segments, with what tells live from VOD, where the encoding changes and
 * where each segment's initialization section is.
 */
public sealed interface HlsPlaylist {
    /** A playlist of variant streams; {@link #audioPlaylist()} picks the one to listen to. */
    record Multivariant(List<Variant> variants, List<URI> audioRenditions) implements HlsPlaylist {
        /**
         * The playlist to fetch for audio: the default (or first) audio rendition when there are separate ones,
         * else an audio-only variant, else the variant with the lowest bandwidth (its audio is what we keep, and it
         * costs the least to fetch).
         */
        public URI audioPlaylist() {
            if (!audioRenditions.isEmpty()) {
                return audioRenditions.get(0);
            }
            return variants.stream().filter(Variant::audioOnly).findFirst()
                    .or(() -> variants.stream().min((a, b) -> Long.compare(a.bandwidth(), b.bandwidth())))
                    .map(Variant::uri).orElseThrow();
        }
    }

    /** @param codecs the CODECS attribute, empty when not given */
    record Variant(URI uri, long bandwidth, String codecs) {
        /** CODECS names only audio codecs (mp4a, ac-3, ec-3, opus, mp3 as "mp4a.40.34", flac). */
        boolean audioOnly() {
            if (codecs.isBlank()) {
                return false;
            }
            for (String codec : codecs.split(",")) {
                String name = codec.trim().toLowerCase(Locale.ROOT);
                if (!(name.startsWith("mp4a") || name.startsWith("ac-3") || name.startsWith("ec-3") || name.equals("opus")
                        || name.equals("flac") || name.startsWith("mp3"))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * @param targetSeconds the longest a segment may be (EXT-X-TARGETDURATION): sets how often a live playlist is
     *                      fetched again
     * @param firstSequence the media sequence number of the first segment listed
     * @param ended         EXT-X-ENDLIST: no segment will be added (VOD, or a live event that finished)
     */
    record Media(double targetSeconds, long firstSequence, List<Segment> segments, boolean ended) implements HlsPlaylist {
        /** The sequence number after the last segment listed. */
        public long nextSequence() {
            return firstSequence + segments.size();
        }

        public Segment segment(long sequence) {
            return segments.get((int) (sequence - firstSequence));
        }
    }

    /**
     * @param discontinuity EXT-X-DISCONTINUITY before it: the encoding may change here (a new decoder is needed),
     *                      though the audio goes on without a gap in time
     * @param initSection   EXT-X-MAP: the initialization section (fragmented MP4) to put before it, or null
     * @param encryption    the EXT-X-KEY method in force (e.g. AES-128), or null when the segment is clear
     */
    record Segment(long sequence, URI uri, double seconds, boolean discontinuity, URI initSection, String encryption) {
    }

    /**
     * Parses a playlist fetched from {@code base} (URIs in it resolve against it).
     *
     * @throws SourceException naming the URL when the text is not an HLS playlist
     */
    static HlsPlaylist parse(URI base, String text) throws SourceException {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("#EXTM3U")) {
            throw new SourceException(base + " is not an HLS playlist (it does not start with #EXTM3U)", false);
        }
        boolean multivariant = lines.stream().anyMatch(l -> l.startsWith("#EXT-X-STREAM-INF"));
        return multivariant ? multivariant(base, lines) : media(base, lines);
    }

    private static Multivariant multivariant(URI base, List<String> lines) throws SourceException {
        List<Variant> variants = new ArrayList<>();
        List<URI> defaults = new ArrayList<>();
        List<URI> others = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#EXT-X-STREAM-INF:")) {
                Map<String, String> attributes = attributes(line);
                String uri = i + 1 < lines.size() && !lines.get(i + 1).startsWith("#") ? lines.get(++i) : null;
                if (uri != null) {
                    variants.add(new Variant(resolve(base, uri), parseLong(attributes.get("BANDWIDTH")),
                            attributes.getOrDefault("CODECS", "")));
                }
            } else if (line.startsWith("#EXT-X-MEDIA:")) {
                Map<String, String> attributes = attributes(line);
                if ("AUDIO".equals(attributes.get("TYPE")) && attributes.containsKey("URI")) {
                    URI uri = resolve(base, attributes.get("URI"));
                    ("YES".equals(attributes.get("DEFAULT")) ? defaults : others).add(uri);
                }
            }
        }
        if (variants.isEmpty()) {
            throw new SourceException(base + " lists no streams to play", false);
        }
        defaults.addAll(others);
        return new Multivariant(variants, defaults);
    }

    private static Media media(URI base, List<String> lines) throws SourceException {
        double target = 0;
        long firstSequence = 0;
        boolean ended = false;
        List<Segment> segments = new ArrayList<>();
        double pendingSeconds = -1;
        boolean pendingDiscontinuity = false;
        URI initSection = null;
        String encryption = null;
        for (String line : lines) {
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = parseDouble(line.substring(line.indexOf(':') + 1));
            } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:") && segments.isEmpty()) {
                // Its place is before the first segment (RFC 8216): later, it would renumber segments already listed.
                firstSequence = parseLong(line.substring(line.indexOf(':') + 1));
            } else if (line.startsWith("#EXTINF:")) {
                String value = line.substring(line.indexOf(':') + 1);
                int comma = value.indexOf(',');
                pendingSeconds = parseDouble(comma < 0 ? value : value.substring(0, comma));
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                pendingDiscontinuity = true;
            } else if (line.startsWith("#EXT-X-MAP:")) {
                String uri = attributes(line).get("URI");
                initSection = uri == null ? null : resolve(base, uri);
            } else if (line.startsWith("#EXT-X-KEY:")) {
                String method = attributes(line).getOrDefault("METHOD", "NONE");
                encryption = method.equals("NONE") ? null : method;
            } else if (line.equals("#EXT-X-ENDLIST")) {
                ended = true;
            } else if (!line.startsWith("#")) {
                segments.add(new Segment(firstSequence + segments.size(), resolve(base, line), Math.max(pendingSeconds, 0),
                        pendingDiscontinuity, initSection, encryption));
                pendingSeconds = -1;
                pendingDiscontinuity = false;
            }
        }
        if (target <= 0) {
            throw new SourceException(base + " is an HLS playlist without #EXT-X-TARGETDURATION, which every media playlist has",
                    false);
        }
        if (firstSequence > Long.MAX_VALUE - segments.size()) {
            throw new SourceException(base + " numbers its segments past " + Long.MAX_VALUE + ", more than this reader"
                    + " can count", false);
        }
        return new Media(target, firstSequence, List.copyOf(segments), ended);
    }

    /** An address the playlist lists, resolved against where it came from. */
    private static URI resolve(URI base, String reference) throws SourceException {
        try {
            return base.resolve(new URI(reference));
        } catch (URISyntaxException e) {
            throw new SourceException(base + " lists \"" + reference + "\", which is not a URL", false);
        }
    }

    /** The attributes of a tag line, quotes removed. */
    static Map<String, String> attributes(String line) {
        Map<String, String> attributes = new LinkedHashMap<>();
        // Compiled per call: an interface holds no private constants, and playlists hold few tags.
        Matcher matcher = Pattern.compile("([A-Z0-9-]+)=(?:\"([^\"]*)\"|([^,]*))")
                .matcher(line.substring(line.indexOf(':') + 1));
        while (matcher.find()) {
            // A quote with no closing one is no quoted string: it stays part of the value.
            attributes.put(matcher.group(1), matcher.group(2) != null ? matcher.group(2) : matcher.group(3));
        }
        return attributes;
    }

    private static long parseLong(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A duration in seconds; 0 for none, as for NaN or infinity, which no duration is. */
    private static double parseDouble(String text) {
        try {
            double value = Double.parseDouble(text.trim());
            return Double.isFinite(value) ? value : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
