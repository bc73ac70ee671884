package io.emostream.launcher.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    private static final List<String> IEMOCAP4 = List.of("neutral", "happy", "sad", "angry");

    /**
     * Ten clips. Rows are references, columns predictions (n, h, s, a, none):
     * <pre>
     * neutral  2 1 0 0 1   support 4
     * happy    1 1 0 0 0   support 2
     * sad      1 0 2 0 0   support 3
     * angry    0 1 0 0 0   support 1
     * predicted 4 3 2 0 1
     * </pre>
     */
    private static final ConfusionMatrix TEN = ConfusionMatrix.of(IEMOCAP4,
            List.of("neutral", "neutral", "neutral", "neutral", "happy", "happy", "sad", "sad", "sad", "angry"),
            Arrays.asList("neutral", "neutral", "happy", null, "happy", "neutral", "sad", "neutral", "sad", "happy"));

    @Test
    void countsEveryPairAndTheClipsWithoutAPrediction() {
        assertThat(TEN.total()).isEqualTo(10);
        assertThat(TEN.count("neutral", "neutral")).isEqualTo(2);
        assertThat(TEN.count("neutral", "happy")).isEqualTo(1);
        assertThat(TEN.count("neutral", null)).isEqualTo(1);
        assertThat(TEN.count("sad", "neutral")).isEqualTo(1);
        assertThat(TEN.count("angry", "happy")).isEqualTo(1);
        assertThat(TEN.unpredicted()).isEqualTo(1);
        // 2 + 1 + 2 + 0 on the diagonal.
        assertThat(TEN.correct()).isEqualTo(5);
        assertThat(TEN.accuracy()).isEqualTo(0.5);
    }

    @Test
    void perClassPrecisionRecallAndF1() {
        // neutral: TP 2 of 4 predicted and 4 labelled: P = R = F1 = 0.5
        assertThat(TEN.scores("neutral")).isEqualTo(new ConfusionMatrix.ClassScores("neutral", 4, 4, 2, 0.5, 0.5, 0.5));
        // happy: TP 1, P = 1/3, R = 1/2, F1 = 2 (1/3)(1/2) / (1/3 + 1/2) = (1/3) / (5/6) = 0.4
        ConfusionMatrix.ClassScores happy = TEN.scores("happy");
        assertThat(happy.precision()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(happy.recall()).isEqualTo(0.5);
        assertThat(happy.f1()).isCloseTo(0.4, within(1e-12));
        // sad: TP 2, P = 2/2 = 1, R = 2/3, F1 = 2 (2/3) / (5/3) = 0.8
        assertThat(TEN.scores("sad").f1()).isCloseTo(0.8, within(1e-12));
        // angry: never predicted and never right: P = R = F1 = 0 (no division by zero)
        assertThat(TEN.scores("angry")).isEqualTo(new ConfusionMatrix.ClassScores("angry", 1, 0, 0, 0, 0, 0));
    }

    @Test
    void macroF1AndBalancedAccuracyAverageOverTheClasses() {
        // (0.5 + 0.4 + 0.8 + 0) / 4 = 0.425
        assertThat(TEN.macroF1()).isCloseTo(0.425, within(1e-12));
        // mean recall: (2/4 + 1/2 + 2/3 + 0) / 4 = (5/3) / 4 = 5/12
        assertThat(TEN.balancedAccuracy()).isCloseTo(5.0 / 12, within(1e-12));
    }

    @Test
    void aClassNobodyLabelledIsLeftOutOfTheMacroAverages() {
        // References neutral, neutral, happy; predictions neutral, surprised, happy.
        ConfusionMatrix matrix = ConfusionMatrix.of(List.of("neutral", "happy", "surprised"),
                List.of("neutral", "neutral", "happy"), List.of("neutral", "surprised", "happy"));

        // neutral: P = 1/1, R = 1/2, F1 = 2/3; happy: F1 = 1; surprised: no support, left out.
        assertThat(matrix.supportedLabels()).containsExactly("neutral", "happy");
        assertThat(matrix.scores("surprised").predicted()).isEqualTo(1);
        assertThat(matrix.macroF1()).isCloseTo((2.0 / 3 + 1) / 2, within(1e-12));
        // Averaging over all three (scikit-learn's default, the union of labels) would give 5/9 instead.
        assertThat(matrix.macroF1()).isNotCloseTo(5.0 / 9, within(1e-3));
        assertThat(matrix.balancedAccuracy()).isCloseTo((0.5 + 1) / 2, within(1e-12));
    }
}
