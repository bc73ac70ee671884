package io.emostream.launcher.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemPredictionTest {
    private static final List<String> IEMOCAP4 = List.of("neutral", "happy", "sad", "angry");

    @Test
    void aClipsPredictionIsTheDurationWeightedMeanOfItsUtterances() {
        UtteranceResult first = new UtteranceResult(0, 1_000, Map.of("neutral", 0.6, "happy", 0.2, "sad", 0.2, "angry", 0.0),
                0.1, 0.2, Grounding.ofUtterance(2, 0));
        UtteranceResult second = new UtteranceResult(1_500, 4_500, Map.of("neutral", 0.2, "happy", 0.5, "sad", 0.1, "angry", 0.2),
                0.5, -0.2, Grounding.ofUtterance(1, 1));

        ItemPrediction prediction = ItemPrediction.of(IEMOCAP4, List.of(first, second));

        // Weights 1 s and 3 s of 4 s. neutral (0.6 + 3 × 0.2) / 4 = 0.3; happy (0.2 + 1.5) / 4 = 0.425;
        // sad (0.2 + 0.3) / 4 = 0.125; angry (0 + 0.6) / 4 = 0.15. The first utterance alone would say neutral.
        assertThat(prediction.label()).isEqualTo("happy");
        assertThat(prediction.scores().get("neutral")).isCloseTo(0.3, within(1e-12));
        assertThat(prediction.scores().get("happy")).isCloseTo(0.425, within(1e-12));
        assertThat(prediction.scores().get("sad")).isCloseTo(0.125, within(1e-12));
        assertThat(prediction.scores().get("angry")).isCloseTo(0.15, within(1e-12));
        assertThat(prediction.confidence()).isCloseTo(0.425, within(1e-12));
        // arousal (0.1 + 3 × 0.5) / 4 = 0.4; valence (0.2 − 0.6) / 4 = −0.1
        assertThat(prediction.arousal()).isCloseTo(0.4, within(1e-12));
        assertThat(prediction.valence()).isCloseTo(-0.1, within(1e-12));
        assertThat(prediction.utterances()).isEqualTo(2);
        assertThat(prediction.speechSeconds()).isEqualTo(4.0);
        assertThat(prediction.grounding()).isEqualTo(new Grounding(2, 3, 2, 1));
    }

    @Test
    void aTieGoesToTheFirstLabelOfTheSet() {
        UtteranceResult even = new UtteranceResult(0, 500, Map.of("neutral", 0.1, "happy", 0.1, "sad", 0.4, "angry", 0.4),
                0, 0, Grounding.NONE);
        assertThat(ItemPrediction.of(IEMOCAP4, List.of(even)).label()).isEqualTo("sad");
    }

    @Test
    void aClipWithoutSpeechOrWithoutAMappableLabelHasNoPrediction() {
        ItemPrediction silent = ItemPrediction.of(IEMOCAP4, List.of());
        assertThat(silent.present()).isFalse();
        assertThat(silent.note()).isEqualTo("no speech was found in the clip");

        // A SpeechLM answered "surprised", which has no counterpart in iemocap4: all zeros.
        UtteranceResult unmappable = new UtteranceResult(0, 800, Map.of("neutral", 0.0, "happy", 0.0, "sad", 0.0, "angry", 0.0),
                0.6, 0.15, Grounding.NONE);
        ItemPrediction none = ItemPrediction.of(IEMOCAP4, List.of(unmappable));
        assertThat(none.present()).isFalse();
        assertThat(none.note()).isEqualTo("none of the labels the model gave has a counterpart in the label set");
        assertThat(none.arousal()).isEqualTo(0.6);
    }
}
