package io.emostream.job.lexical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.emostream.job.phrases.PhraseMatch;
import io.emostream.job.phrases.PhraseRules;
import io.emostream.job.phrases.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LexicalAnalyzerTest {

    private static final String COMPLAINT =
            "This is ridiculous, I have called three times and nobody helped me, so I want to cancel my account "
                    + "today and speak to a manager, because honestly I am sick of waiting on hold every single "
                    + "time I call you";

    @Test
    void givesValenceKeywordsAndPhrasesOfOneTranscript() {
        LexicalCues cues = LexicalAnalyzer.load().analyze(COMPLAINT, "CUSTOMER");

        assertThat(cues.valence().compound()).isNegative();
        // The complaint rule counts once, at its longest match ("sick of"); "ridiculous" keeps VADER's rating.
        assertThat(cues.valence().negativeDrivers())
                .containsExactly("want to cancel", "sick of", "every single time", "ridiculous", "speak to a manager");
        assertThat(cues.keywords().terms("angry"))
                .containsExactly("ridiculous", "cancel", "manager", "sick of", "every single time");
        assertThat(cues.phrases()).containsExactly(
                new PhraseMatch("churn.cancel", "churn_risk", "want to cancel", Severity.WARNING, 73, 87),
                new PhraseMatch("escalation.manager", "escalation_request", "speak to a manager", Severity.WARNING, 109, 127),
                new PhraseMatch("complaint.dissatisfied", "complaint", "sick of", null, 151, 158),
                new PhraseMatch("complaint.service-failure", "complaint", "every single time", null, 175, 192));
    }

    /** The examples of issue 15: words VADER reads as positive that a contact centre does not. */
    @Test
    void onAServiceCallCancellingIsNegativeThanksPositiveAndPolitenessNeutral() {
        LexicalAnalyzer analyzer = LexicalAnalyzer.load();

        assertThat(analyzer.analyze("I am cancelling.", "CUSTOMER").valence().compound())
                .isCloseTo(-2.5 / Math.sqrt(2.5 * 2.5 + 15), within(1e-12));
        assertThat(analyzer.analyze("I want to cancel my account", "CUSTOMER").valence().compound())
                .isCloseTo(-2.5 / Math.sqrt(2.5 * 2.5 + 15), within(1e-12));
        assertThat(analyzer.analyze("Thanks, that fixed it.", "CUSTOMER").valence().compound())
                .isCloseTo(2.0 / Math.sqrt(2.0 * 2.0 + 15), within(1e-12));
        String polite = "I want a credit, please help, I'd like a refund.";
        assertThat(ValenceScorer.load().score(polite).positiveDrivers()).containsExactly("help", "credit", "like", "please", "want");
        assertThat(analyzer.analyze(polite, "CUSTOMER").valence()).isEqualTo(new ValenceScore(0, 0, 0, 1, List.of()));
    }

    /** Said by an agent, the customer's rules do not apply; "cancel" stays neutral, the rest is VADER's. */
    @Test
    void theSpeakersRolePicksTheRules() {
        LexicalCues agent = LexicalAnalyzer.load().analyze(COMPLAINT, "AGENT");

        assertThat(agent.phrases()).isEmpty();
        assertThat(agent.valence().negativeDrivers()).containsExactly("sick", "ridiculous");
    }

    @Test
    void anotherRuleFileReplacesTheBundledPackWhole() {
        PhraseRules mine = PhraseRules.parse("mine.rules", List.of(
                "[category praise]", "valence = 3", "[rule praise]", "category = praise", "phrase = top notch"));
        LexicalAnalyzer analyzer = LexicalAnalyzer.load(mine);

        LexicalCues cues = analyzer.analyze("Top notch, I want to cancel", "CUSTOMER");
        assertThat(cues.phrases()).containsExactly(new PhraseMatch("praise", "praise", "Top notch", null, 0, 9));
        // Without the pack, "want" and "cancel" keep VADER's ratings.
        assertThat(cues.valence().drivers()).containsExactly("+Top notch", "-cancel", "+want");
    }

    @Test
    void aMissingOrBlankTranscriptGivesNoCues() {
        LexicalAnalyzer analyzer = LexicalAnalyzer.load();

        assertThat(analyzer.analyze(null, "CUSTOMER")).isEqualTo(LexicalCues.NONE);
        assertThat(analyzer.analyze("  \n", "CUSTOMER")).isEqualTo(LexicalCues.NONE);
        assertThat(LexicalCues.NONE.valence().compound()).isZero();
        assertThat(LexicalCues.NONE.keywords().isEmpty()).isTrue();
    }

    @Test
    void loadsOnceAndServesManyThreads() throws Exception {
        LexicalAnalyzer analyzer = LexicalAnalyzer.load();
        assertThat(LexicalAnalyzer.load()).isSameAs(analyzer);

        List<String> transcripts = List.of(COMPLAINT, "Thank you so much, that was wonderful!",
                "I'm worried someone used my card", "Oh my god, no way!", "The book was kind of good.");
        List<LexicalCues> expected = transcripts.stream().map(text -> analyzer.analyze(text, "CUSTOMER")).toList();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<LexicalCues>>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    List<LexicalCues> last = null;
                    for (int round = 0; round < 500; round++) {
                        last = transcripts.stream().map(text -> analyzer.analyze(text, "CUSTOMER")).toList();
                    }
                    return last;
                }));
            }
            for (Future<List<LexicalCues>> run : runs) {
                assertThat(run.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A loose guard, not a benchmark: a 40-word utterance takes tens of microseconds once warm, so a median
     * near a millisecond means something is badly wrong (a lexicon read per call, say).
     */
    @Test
    void analysesAFortyWordUtteranceWellUnderAMillisecond() {
        LexicalAnalyzer analyzer = LexicalAnalyzer.load();
        assertThat(COMPLAINT.split(" ")).hasSize(40);
        for (int i = 0; i < 20_000; i++) {
            analyzer.analyze(COMPLAINT, "CUSTOMER");
        }
        long[] nanos = new long[2_001];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            analyzer.analyze(COMPLAINT, "CUSTOMER");
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        long median = nanos[nanos.length / 2];
        System.out.printf("LexicalAnalyzer, 40 words: median %.1f us, p99 %.1f us%n",
                median / 1e3, nanos[nanos.length * 99 / 100] / 1e3);

        assertThat(median).as("median nanoseconds per 40-word utterance").isLessThan(1_000_000L);
    }
}
