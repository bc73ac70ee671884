package io.emostream.launcher.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.emostream.job.model.LabelSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreMappingTest {
    private static final Map<String, Double> DEFAULT_SCORES = Map.of("neutral", 0.3, "happy", 0.2, "sad", 0.1, "angry", 0.1,
            "surprised", 0.1, "fearful", 0.1, "disgusted", 0.05, "contemptuous", 0.05);

    @Test
    void theDefaultSetIsMappedAndRenormalised() {
        ScoreMapping mapping = ScoreMapping.between(LabelSet.MSP_PODCAST, EvaluationLabels.parse("iemocap4"));

        // neutral, happy, sad and angry keep 0.7 of the mass: 0.3 / 0.7, 0.2 / 0.7, 0.1 / 0.7, 0.1 / 0.7.
        Map<String, Double> scores = mapping.scores(DEFAULT_SCORES);
        assertThat(scores).containsOnlyKeys("neutral", "happy", "sad", "angry");
        assertThat(scores.get("neutral")).isCloseTo(3.0 / 7, within(1e-12));
        assertThat(scores.get("angry")).isCloseTo(1.0 / 7, within(1e-12));
        assertThat(mapping.label("angry")).containsEntry("angry", 1.0).containsEntry("happy", 0.0);
        assertThat(mapping.label("surprised").values()).containsOnly(0.0);

        // EmotionThinker's contempt/disgust takes both: (0.05 + 0.05) / 1.
        Map<String, Double> thinker = ScoreMapping.between(LabelSet.MSP_PODCAST, EvaluationLabels.parse("emotionthinker9"))
                .scores(DEFAULT_SCORES);
        assertThat(thinker.get("contempt/disgust")).isCloseTo(0.1, within(1e-12));
        assertThat(thinker.get("whisper")).isZero();
    }

    @Test
    void aModelWithTheEvaluationsLabelsIsTakenAsItIs() {
        LabelSet model = new LabelSet("my-ser", List.of("Angry", "neutral", "HAPPY", "sad"));
        ScoreMapping mapping = ScoreMapping.between(model, EvaluationLabels.parse("iemocap4"));

        assertThat(mapping.scores(Map.of("Angry", 0.5, "neutral", 0.25, "HAPPY", 0.125, "sad", 0.125)))
                .containsExactly(Map.entry("neutral", 0.25), Map.entry("happy", 0.125), Map.entry("sad", 0.125),
                        Map.entry("angry", 0.5));
    }

    @Test
    void labelsWithoutCounterpartsAreNamed() {
        LabelSet model = new LabelSet("tiny", List.of("calm", "tense", "loud"));
        assertThatThrownBy(() -> ScoreMapping.between(model, EvaluationLabels.parse("iemocap4")))
                .hasMessage("the model's labels cannot be mapped to iemocap4 (neutral, happy, sad, angry): calm, tense, loud"
                        + " have no counterpart there; use --label-set calm,tense,loud and map the manifest's labels to those"
                        + " with --label-map FILE");
        assertThatThrownBy(() -> ScoreMapping.between(LabelSet.MSP_PODCAST, EvaluationLabels.parse("calm,tense")))
                .hasMessageStartingWith("none of the labels of custom (calm, tense) has a counterpart among the model's");
        assertThat(ScoreMapping.between(model, EvaluationLabels.parse("loud, calm,tense")).scores(Map.of("loud", 1.0)))
                .containsEntry("loud", 1.0);
    }
}
