package io.emostream.job.lexical;

import io.emostream.job.phrases.PhraseMatch;
import java.util.List;
import java.util.Objects;

/**
 * What the words of one utterance say about its emotion: how positive or negative they read in their domain, which
 * emotion keywords they contain, and which phrase rules they matched.
 *
 * @param phrases the phrase rules' matches, in transcript order
 */
public record LexicalCues(ValenceScore valence, KeywordHits keywords, List<PhraseMatch> phrases) {

    /** The cues of an utterance without a transcript: compound valence 0, no keywords and no phrases. */
    public static final LexicalCues NONE = new LexicalCues(ValenceScore.NONE, KeywordHits.NONE, List.of());

    public LexicalCues {
        Objects.requireNonNull(valence, "valence");
        Objects.requireNonNull(keywords, "keywords");
        phrases = List.copyOf(phrases);
    }
}
