package io.emostream.job.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one judgement every backend's scores get: is the top label clear of the rest? */
class UncertaintyTest {

    private static Map<String, Double> scores(double... values) {
        List<String> labels = LabelSet.MSP_PODCAST.labels();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            scores.put(labels.get(i), values[i]);
        }
        return scores;
    }

    @Test
    void aLabelWithMostOfTheMassAndAClearLeadIsCertain() {
        Uncertainty u = Uncertainty.of(scores(0.1, 0.6, 0.1, 0.2));

        assertThat(u.uncertain()).isFalse();
        assertThat(u.closeLabels()).containsExactly("happy");
        assertThat(u.missing()).isEmpty();
    }

    @Test
    void belowTheMinimumTopScoreOrWithinTheMarginItIsUncertain() {
        // 0.44 on top, with a lead of 0.24: too little of the mass.
        assertThat(Uncertainty.of(scores(0.44, 0.2, 0.18, 0.18)).uncertain()).isTrue();
        // 0.5 on top, 0.36 next: a lead of 0.14.
        assertThat(Uncertainty.of(scores(0.5, 0.36, 0.14)).uncertain()).isTrue();
        // 0.45 on top, 0.3 next: exactly at both thresholds, which count as clear.
        assertThat(Uncertainty.of(scores(0.45, 0.3, 0.25)).uncertain()).isFalse();
    }

    @Test
    void theCloseLabelsAreTheTopTwoAndAnyOtherWithHalfTheTopScore() {
        Uncertainty u = Uncertainty.of(scores(0.05, 0.2, 0.0, 0.4, 0.2, 0.15));

        assertThat(u.uncertain()).isTrue();
        assertThat(u.closeLabels()).containsExactly("angry", "happy", "surprised");
        assertThat(Uncertainty.of(scores(0.05, 0.1, 0.05, 0.4, 0.1, 0.1, 0.1, 0.1)).closeLabels())
                .as("the runner-up is named even below half the top").containsExactly("angry", "happy");
    }

    @Test
    void aModelThatKnowsItsLabelRestsOnWhatIsMissingMakesItUncertainWhateverTheScore() {
        Uncertainty u = Uncertainty.of(scores(0.1, 0.8, 0.1), List.of("valence unknown without words"), true);

        assertThat(u.uncertain()).isTrue();
        assertThat(u.closeLabels()).containsExactly("happy", "neutral");
        assertThat(u.missing()).containsExactly("valence unknown without words");
    }

    @Test
    void everyBackendsEstimateIsJudgedFromItsScores() {
        EmotionEstimate clear = new EmotionEstimate("angry", scores(0.1, 0.1, 0.1, 0.7), 0.6, -0.5, 0.7);
        EmotionEstimate close = new EmotionEstimate("angry", scores(0.1, 0.35, 0.1, 0.45), 0.6, -0.5, 0.45);

        assertThat(clear.uncertain()).isFalse();
        assertThat(close.uncertain()).isTrue();
        assertThat(close.uncertainty().closeLabels()).containsExactly("angry", "happy");
    }

    @Test
    void aConfidentAnswerDoubtedFromOutsideIsUncertainAndSaysWhy() {
        EmotionEstimate sure = new EmotionEstimate("happy", Map.of("happy", 0.86, "surprised", 0.09, "neutral", 0.05), 0.8, 0.5, 0.86);

        EmotionEstimate doubted = sure.doubted("words and voice disagree");

        assertThat(sure.uncertain()).isFalse();
        assertThat(doubted.uncertain()).isTrue();
        assertThat(doubted.uncertainty().missing()).containsExactly("words and voice disagree");
        assertThat(doubted.uncertainty().closeLabels()).containsExactly("happy", "surprised");
        assertThat(doubted.label()).isEqualTo("happy");
        assertThat(doubted.scores()).isEqualTo(sure.scores());
        assertThat(doubted.confidence()).isEqualTo(0.86);
    }
}
