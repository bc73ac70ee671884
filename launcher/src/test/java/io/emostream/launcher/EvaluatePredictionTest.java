package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.model.LabelSet;
import io.emostream.launcher.evaluate.EvaluationLabels;
import io.emostream.launcher.evaluate.ItemPrediction;
import io.emostream.launcher.evaluate.ScoreMapping;
import io.emostream.schema.EmotionEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A clip's prediction when --no-emotion-for withheld some or all of its utterances' emotion. */
class EvaluatePredictionTest {
    private static final EvaluationLabels IEMOCAP4 = EvaluationLabels.parse("iemocap4");
    private static final ScoreMapping MAPPING = ScoreMapping.between(LabelSet.MSP_PODCAST, IEMOCAP4);

    @Test
    void aClipWhoseEmotionWasWithheldThroughoutHasNoPredictionAndSaysWhy() {
        ItemPrediction prediction = EvaluateCommand.prediction(IEMOCAP4.labels(),
                List.of(withheld(0, 1_000), withheld(1_500, 3_000)), MAPPING);

        assertThat(prediction.present()).isFalse();
        assertThat(prediction.note()).isEqualTo("emotion withheld (policy)");
        assertThat(EvaluateCommand.prediction(IEMOCAP4.labels(), List.of(), MAPPING).note())
                .as("no speech is another matter").isEqualTo("no speech was found in the clip");
    }

    @Test
    void theWithheldUtterancesOfAClipAreLeftOutOfItsPrediction() {
        ItemPrediction prediction = EvaluateCommand.prediction(IEMOCAP4.labels(),
                List.of(withheld(0, 1_000), analysed(1_000, 3_000)), MAPPING);

        assertThat(prediction.label()).isEqualTo("angry");
        assertThat(prediction.confidence()).isEqualTo(0.75);
        assertThat(prediction.utterances()).isEqualTo(1);
        assertThat(prediction.arousal()).isEqualTo(0.5);
        assertThat(prediction.valence()).isEqualTo(-0.5);
        assertThat(prediction.speechSeconds()).isEqualTo(2.0);
    }

    private static EmotionEvent analysed(long startMs, long endMs) {
        return EmotionEvent.newBuilder(withheld(startMs, endMs)).setEmotionWithheld(null).setLabel("angry")
                .setScores(Map.of("angry", 0.75, "neutral", 0.25)).setArousal(0.5).setValence(-0.5).setConfidence(0.75)
                .setRationale("Loud (+6 dB) → angry.").setModelId("cue-estimator/1").build();
    }

    private static EmotionEvent withheld(long startMs, long endMs) {
        return EmotionEvent.newBuilder().setUtteranceId("clip-1/0/" + startMs * 16).setCallId("clip-1").setChannel(0)
                .setStartMs(startMs).setEndMs(endMs).setLabel(null).setScores(Map.of()).setArousal(null).setValence(null)
                .setConfidence(null).setRationale("No emotion analysed (policy no-emotion-for UNKNOWN).")
                .setModelId("emotion-policy/1").setLastChunkIngestTimeMs(0).setVadEndTimeMs(0).setEmitTimeMs(0)
                .setEmotionWithheld("no-emotion-for UNKNOWN").build();
    }
}
