package io.emostream.launcher.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnotatorAwareTest {
    private static final List<String> IEMOCAP4 = List.of("neutral", "happy", "sad", "angry");

    // Six clips: majority label, the annotators' labels, prediction.
    //   1 happy   {happy, neutral, happy}  neutral  minority reading: right for annotator-aware only
    //   2 sad     {sad, sad, angry}        angry    minority reading: right for annotator-aware only
    //   3 neutral {neutral, happy}         sad      wrong for both
    //   4 angry   {angry}                  angry    right for both
    //   5 neutral {}                       neutral  no annotators given: the majority counts as one
    //   6 happy   {happy, sad}             none     a miss for both
    private static final List<String> MAJORITY = List.of("happy", "sad", "neutral", "angry", "neutral", "happy");
    private static final List<List<String>> ANNOTATORS = List.of(List.of("happy", "neutral", "happy"),
            List.of("sad", "sad", "angry"), List.of("neutral", "happy"), List.of("angry"), List.of(), List.of("happy", "sad"));
    private static final List<String> PREDICTED = Arrays.asList("neutral", "angry", "sad", "angry", "neutral", null);

    @Test
    void theReferenceIsThePredictionWhenAnyAnnotatorGaveIt() {
        assertThat(AnnotatorAware.reference("happy", List.of("happy", "neutral"), "neutral")).isEqualTo("neutral");
        assertThat(AnnotatorAware.reference("neutral", List.of("neutral", "happy"), "sad")).isEqualTo("neutral");
        assertThat(AnnotatorAware.reference("neutral", List.of(), "neutral")).isEqualTo("neutral");
        assertThat(AnnotatorAware.reference("happy", List.of("happy", "sad"), null)).isEqualTo("happy");
    }

    @Test
    void annotatorAwareAndMajorityScoresDiffer() {
        ConfusionMatrix majority = ConfusionMatrix.of(IEMOCAP4, MAJORITY, PREDICTED);
        ConfusionMatrix aware = AnnotatorAware.matrix(IEMOCAP4, MAJORITY, ANNOTATORS, PREDICTED);

        // Majority: clips 4 and 5 are right, 2 of 6.
        assertThat(majority.accuracy()).isCloseTo(2.0 / 6, within(1e-12));
        // Majority per class (support, TP, predicted): neutral (2, 1, 2): P = R = 1/2, F1 = 1/2;
        // happy (2, 0, 0): F1 = 0; sad (1, 0, 1): F1 = 0; angry (1, 1, 2): P = 1/2, R = 1, F1 = 1 / (3/2) = 2/3.
        // Macro-F1 = (1/2 + 0 + 0 + 2/3) / 4 = (7/6) / 4 = 7/24.
        assertThat(majority.macroF1()).isCloseTo(7.0 / 24, within(1e-12));

        // Annotator-aware references: neutral, angry, neutral, angry, neutral, happy. Right: clips 1, 2, 4, 5: 4 of 6.
        assertThat(aware.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
        // Per class (support, TP, predicted): neutral (3, 2, 2): P = 1, R = 2/3, F1 = (4/3) / (5/3) = 0.8;
        // happy (1, 0, 0): F1 = 0; sad (0, 0, 1): no support, left out; angry (2, 2, 2): F1 = 1.
        // Macro-F1 = (0.8 + 0 + 1) / 3 = 0.6.
        assertThat(aware.supportedLabels()).containsExactly("neutral", "happy", "angry");
        assertThat(aware.scores("neutral").f1()).isCloseTo(0.8, within(1e-12));
        assertThat(aware.macroF1()).isCloseTo(0.6, within(1e-12));
    }
}
