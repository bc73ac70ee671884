package io.emostream.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CueEstimatorTest {
    private final CueEstimator estimator = new CueEstimator();

    /** Pitch, loudness, rate and range all {@code z} SD from the speaker's usual. */
    private static List<CueReading> prosody(double z) {
        return List.of(new CueReading("pitch_mean_hz", 200 + 20 * z, "Hz", z, 200.0),
                new CueReading("loudness_dbfs", -20 + 3 * z, "dBFS", z, -20.0),
                new CueReading("speaking_rate_syl_per_s", 4 + z, "syllables/s", z, 4.0),
                new CueReading("pitch_range_st", 6 + 2 * z, "st", z, 6.0));
    }

    private EmotionEstimate estimate(List<CueReading> cues, LexicalEvidence lexical) {
        return estimator.estimate(List.of(new ModelInput("u", new float[0], cues, lexical, null))).get(0);
    }

    @Test
    void speechLikeTheSpeakersUsualWithNeutralWordsIsNeutral() {
        EmotionEstimate e = estimate(prosody(0), LexicalEvidence.NONE);

        assertThat(e.label()).isEqualTo("neutral");
        assertThat(e.arousal()).isZero();
        assertThat(e.valence()).isZero();
        assertThat(e.scores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(e.scores().keySet()).containsExactlyElementsOf(LabelSet.MSP_PODCAST.labels());
        assertThat(e.confidence()).isEqualTo(e.scores().get("neutral"));
    }

    @Test
    void raisedProsodyWithAngryWordsIsAngryAndWithHappyWordsIsHappy() {
        LexicalEvidence angryWords = new LexicalEvidence(-0.6, List.of("ridiculous"), Map.of("angry", List.of("ridiculous", "cancel")));
        LexicalEvidence happyWords = new LexicalEvidence(0.7, List.of("wonderful"), Map.of("happy", List.of("wonderful")));

        assertThat(estimate(prosody(2), angryWords).label()).isEqualTo("angry");
        assertThat(estimate(prosody(2), happyWords).label()).isEqualTo("happy");
        assertThat(estimate(prosody(2), angryWords).arousal()).isGreaterThan(0.5);
    }

    @Test
    void loweredProsodyWithNegativeWordsIsSad() {
        EmotionEstimate e = estimate(prosody(-2), new LexicalEvidence(-0.5, List.of("unfortunately"), Map.of()));

        assertThat(e.label()).isEqualTo("sad");
        assertThat(e.arousal()).isLessThan(-0.5);
    }

    @Test
    void aSharplyRisingContourOnAnAroUsedVoiceReadsAsSurprise() {
        List<CueReading> cues = new ArrayList<>(prosody(1.5));
        cues.add(new CueReading("pitch_slope_st_per_s", 9, "st/s", 3.0, 0.0));

        assertThat(estimate(cues, LexicalEvidence.NONE).label()).isEqualTo("surprised");
    }

    @Test
    void arousalRisesWithEveryProsodicCueAndStaysWithinBounds() {
        double previous = -1;
        for (double z = -4; z <= 4; z += 0.5) {
            double arousal = estimate(prosody(z), LexicalEvidence.NONE).arousal();
            assertThat(arousal).isGreaterThan(previous).isBetween(-1.0, 1.0);
            previous = arousal;
        }
    }

    @Test
    void otherLabelSetsMergeAndRenormaliseTheDefaultScores() {
        Map<String, Double> scores = Map.of("neutral", 0.1, "happy", 0.1, "sad", 0.1, "angry", 0.2, "surprised", 0.1,
                "fearful", 0.1, "disgusted", 0.2, "contemptuous", 0.1);

        Map<String, Double> thinker = LabelSet.EMOTIONTHINKER9.fromDefault(scores);
        Map<String, Double> iemocap = LabelSet.IEMOCAP4.fromDefault(scores);

        assertThat(thinker.get("contempt/disgust")).isCloseTo(0.3, within(1e-9));
        assertThat(thinker.get("whisper")).isZero();
        assertThat(iemocap).containsOnlyKeys("neutral", "happy", "sad", "angry");
        assertThat(iemocap.get("angry")).isCloseTo(0.4, within(1e-9));
        assertThatThrownBy(() -> LabelSet.named("ravdess")).hasMessage("unknown label set 'ravdess'; known: msp-podcast, iemocap4, emotionthinker9");
    }
}
