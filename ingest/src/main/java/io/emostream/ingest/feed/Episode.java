package io.emostream.ingest.feed;

import io.emostream.ingest.chunk.CallIds;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One episode of a podcast feed: an item with an enclosure (the recording).
 *
 * @param guid          the item's guid, or its enclosure URL when it has none: what the state file remembers
 * @param title         the title, whitespace collapsed, or null
 * @param enclosure     the recording's URL, resolved against the feed's
 * @param type          the enclosure's declared media type, or "" when it declares none
 * @param length        the enclosure's declared size in bytes, or -1
 * @param published     when it was published, or null when the feed does not say in a form that can be read
 * @param publishedText the date as the feed wrote it, or null
 * @param duration      {@code itunes:duration} as the feed wrote it ("1:02:03", "3723"), or null
 */
public record Episode(String guid, String title, URI enclosure, String type, long length, Instant published,
                      String publishedText, String duration) {
    /** Room left for the guid's hash after the title in a call id. */
    private static final int MAX_SLUG = 60;

    /**
     * The call id this episode is ingested as: a slug of its title (of its file name when it has no title), then
     * the first 8 hex digits of the SHA-256 of its guid. Readable, and the same on every run and machine, so an
     * episode ingested again (after a failure) keeps its utterance ids and consumers can drop the duplicates.
     */
    public String callId() {
        String id = slug(title != null ? title : fileName()) + "-" + guidHash();
        return CallIds.requireValid(id);
    }

    /** How messages name the episode: its title, else its enclosure's file name. */
    public String label() {
        return title != null ? title : fileName();
    }

    private String fileName() {
        String path = enclosure.getPath() == null ? "" : enclosure.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Lower-case ASCII letters and digits, runs of anything else as one '-'; accents dropped ("Ça" → "ca"). */
    static String slug(String text) {
        String plain = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        String slug = plain.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_SLUG) {
            slug = slug.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "episode" : slug;
    }

    private String guidHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(guid.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
