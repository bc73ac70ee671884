package io.emostream.job.lexical;

import static org.assertj.core.api.Assertions.assertThat;

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
    void givesValenceAndKeywordsOfOneTranscript() {
        LexicalCues cues = LexicalAnalyzer.load().analyze(COMPLAINT);

        assertThat(cues.valence().compound()).isNegative();
        assertThat(cues.valence().negativeDrivers()).containsExactly("sick", "ridiculous", "cancel");
        assertThat(cues.keywords().terms("angry"))
                .containsExactly("ridiculous", "cancel", "manager", "sick of", "every single time");
    }

    @Test
    void aMissingOrBlankTranscriptGivesNoCues() {
        LexicalAnalyzer analyzer = LexicalAnalyzer.load();

        assertThat(analyzer.analyze(null)).isEqualTo(LexicalCues.NONE);
        assertThat(analyzer.analyze("  \n")).isEqualTo(LexicalCues.NONE);
        assertThat(LexicalCues.NONE.valence().compound()).isZero();
        assertThat(LexicalCues.NONE.keywords().isEmpty()).isTrue();
    }

    @Test
    void loadsOnceAndServesManyThreads() throws Exception {
        LexicalAnalyzer analyzer = LexicalAnalyzer.load();
        assertThat(LexicalAnalyzer.load()).isSameAs(analyzer);

        List<String> transcripts = List.of(COMPLAINT, "Thank you so much, that was wonderful!",
                "I'm worried someone used my card", "Oh my god, no way!", "The book was kind of good.");
        List<LexicalCues> expected = transcripts.stream().map(analyzer::analyze).toList();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<LexicalCues>>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    List<LexicalCues> last = null;
                    for (int round = 0; round < 500; round++) {
                        last = transcripts.stream().map(analyzer::analyze).toList();
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
            analyzer.analyze(COMPLAINT);
        }
        long[] nanos = new long[2_001];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            analyzer.analyze(COMPLAINT);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        long median = nanos[nanos.length / 2];
        System.out.printf("LexicalAnalyzer, 40 words: median %.1f us, p99 %.1f us%n",
                median / 1e3, nanos[nanos.length * 99 / 100] / 1e3);

        assertThat(median).as("median nanoseconds per 40-word utterance").isLessThan(1_000_000L);
    }
}
