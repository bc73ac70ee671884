package io.emostream.ingest.feed;

import java.net.URI;
import java.util.List;

/**
 * A podcast feed as read: its title (the show, which becomes each call's series) and its episodes in the feed's
 * order (newest first, by convention).
 *
 * @param uri                   where the feed was read from, after redirects
 * @param title                 the channel's title, whitespace collapsed, or null
 * @param itemsWithoutEnclosure items that were skipped: no enclosure, or one without a usable URL
 */
public record Feed(URI uri, String title, List<Episode> episodes, int itemsWithoutEnclosure) {
    public Feed {
        episodes = List.copyOf(episodes);
    }
}
