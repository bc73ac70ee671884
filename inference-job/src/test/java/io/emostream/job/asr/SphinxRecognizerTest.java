package io.emostream.job.asr;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.Flite;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SphinxRecognizerTest {
    private static final String SENTENCE = "I have been charged twice and I want this fixed now";

    @Test
    void recognisesMostWordsOfAClearlySpokenSentence(@TempDir Path dir) throws Exception {
        float[] speech = Flite.speak(dir, "slt", SENTENCE);

        String transcript;
        try (SphinxRecognizer recognizer = SphinxRecognizer.load()) {
            transcript = recognizer.transcribe(speech);
        }

        assertThat(wordErrorRate(SENTENCE, transcript)).as("transcript '%s'", transcript).isLessThanOrEqualTo(0.5);
    }

    /** Word-level edit distance over the reference length. */
    static double wordErrorRate(String reference, String hypothesis) {
        List<String> ref = words(reference);
        List<String> hyp = words(hypothesis);
        int[][] d = new int[ref.size() + 1][hyp.size() + 1];
        for (int i = 0; i <= ref.size(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= hyp.size(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= ref.size(); i++) {
            for (int j = 1; j <= hyp.size(); j++) {
                int substitution = d[i - 1][j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                d[i][j] = Math.min(substitution, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
            }
        }
        return (double) d[ref.size()][hyp.size()] / ref.size();
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.toLowerCase(Locale.ROOT).trim().split("\\s+"));
    }
}
