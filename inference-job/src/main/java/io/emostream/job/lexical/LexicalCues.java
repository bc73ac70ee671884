package io.emostream.job.lexical;

import java.util.Objects;

/**
 * What the words of one utterance say about its emotion: how positive or negative they read, and which emotion
 * keywords they contain.
 */
public record LexicalCues(ValenceScore valence, KeywordHits keywords) {

    /** The cues of an utterance without a transcript: compound valence 0 and no keywords. */
    public static final LexicalCues NONE = new LexicalCues(ValenceScore.NONE, KeywordHits.NONE);

    public LexicalCues {
        Objects.requireNonNull(valence, "valence");
        Objects.requireNonNull(keywords, "keywords");
    }
}
