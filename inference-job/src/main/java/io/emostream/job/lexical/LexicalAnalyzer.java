package io.emostream.job.lexical;

/**
 * The lexical cues of an utterance from its transcript: VADER valence ({@link ValenceScorer}) and emotion
 * keywords ({@link EmotionKeywords}). Plain Java; one shared instance serves every thread of a JVM.
 */
public final class LexicalAnalyzer {

    private final ValenceScorer valence;
    private final EmotionKeywords keywords;

    private LexicalAnalyzer(ValenceScorer valence, EmotionKeywords keywords) {
        this.valence = valence;
        this.keywords = keywords;
    }

    // Loaded on first use, once per JVM: the lexicon is 7,500 entries, and every caller can share it.
    private static final class Shared {
        static final LexicalAnalyzer INSTANCE = new LexicalAnalyzer(ValenceScorer.load(), EmotionKeywords.load());
    }

    /** The analyser, with its lexicon and keyword list read from the classpath on the first call only. */
    public static LexicalAnalyzer load() {
        return Shared.INSTANCE;
    }

    /**
     * The cues of one transcript, scored as a whole. A null or blank transcript, as when speech recognition is
     * off or heard nothing, gives {@link LexicalCues#NONE}: compound valence 0 and no keywords.
     */
    public LexicalCues analyze(String transcript) {
        if (transcript == null || transcript.isBlank()) {
            return LexicalCues.NONE;
        }
        return new LexicalCues(valence.score(transcript), keywords.find(transcript));
    }
}
