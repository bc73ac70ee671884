package io.emostream.job.lexical;

import io.emostream.job.phrases.PhraseMatch;
import io.emostream.job.phrases.PhraseRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The lexical cues of an utterance from its transcript: VADER valence ({@link ValenceScorer}) read in the domain of
 * a set of phrase rules ({@link PhraseRules}), emotion keywords ({@link EmotionKeywords}) and the rules' matches.
 *
 * <p>The rules shift the valence: each match counts as one word rated its category's valence in place of its own
 * words ("want to cancel" -2.5 with the bundled pack, where VADER finds "want" positive), and the rules' neutral
 * words count as unrated ("credit", "please"). Plain Java; one instance serves every thread of a JVM.
 */
public final class LexicalAnalyzer {

    private final ValenceScorer valence;
    private final EmotionKeywords keywords;
    private final PhraseRules rules;

    private LexicalAnalyzer(ValenceScorer valence, EmotionKeywords keywords, PhraseRules rules) {
        this.valence = valence;
        this.keywords = keywords;
        this.rules = rules;
    }

    // Loaded on first use, once per JVM: the lexicon is 7,500 entries, and every caller can share it.
    private static final class Shared {
        static final LexicalAnalyzer INSTANCE =
                new LexicalAnalyzer(ValenceScorer.load(), EmotionKeywords.load(), PhraseRules.bundled());
    }

    /** The analyser with the bundled contact-centre rules, its lexicons read from the classpath on the first call only. */
    public static LexicalAnalyzer load() {
        return Shared.INSTANCE;
    }

    /** An analyser with other phrase rules, sharing the lexicons of {@link #load()}. */
    public static LexicalAnalyzer load(PhraseRules rules) {
        return new LexicalAnalyzer(Shared.INSTANCE.valence, Shared.INSTANCE.keywords, rules);
    }

    /**
     * The cues of one transcript, scored as a whole. A null or blank transcript, as when speech recognition is
     * off or heard nothing, gives {@link LexicalCues#NONE}: compound valence 0 and no keywords.
     *
     * @param role the speaker's role as the events name it (CUSTOMER, AGENT, UNKNOWN...), which picks the rules
     */
    public LexicalCues analyze(String transcript, String role) {
        if (transcript == null || transcript.isBlank()) {
            return LexicalCues.NONE;
        }
        List<PhraseMatch> phrases = rules.match(transcript, role);
        List<ValenceScorer.Rerating> reratings = new ArrayList<>();
        rules.neutralStretches(transcript).forEach(stretch ->
                reratings.add(new ValenceScorer.Rerating(stretch.start(), stretch.end(), "", 0)));
        phrases.forEach(match -> reratings.add(new ValenceScorer.Rerating(match.start(), match.end(), match.text(),
                rules.category(match.category()).valence())));
        return new LexicalCues(valence.score(transcript, reratings), keywords.find(transcript), phrases);
    }

    /** Only the phrase rules' matches, in transcript order: for a speaker whose emotion is not analysed. */
    public List<PhraseMatch> phrases(String transcript, String role) {
        return transcript == null || transcript.isBlank() ? List.of() : rules.match(transcript, role);
    }
}
