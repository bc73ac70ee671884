package io.emostream.job.cues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** The running per-speaker norm: prior, exponential weighting, the order of scoring and updating, and its state. */
class SpeakerBaselineTest {
    private static final String PITCH = AcousticCues.PITCH_MEAN_HZ;

    /** An utterance whose cues are ordinary except its mean pitch and loudness; only some cues are measured. */
    private static AcousticCues utterance(double pitchHz, double loudnessDbfs) {
        return new AcousticCues(3.2, 3.0, pitchHz, pitchHz, 5.0, -1.0, 0.5, loudnessDbfs, loudnessDbfs + 4, 12, 4.0,
                0.1, null, null, 12.0, -8.0);
    }

    @Test
    void withNothingHeardZScoresComeFromThePopulationPrior() {
        SpeakerBaseline baseline = new SpeakerBaseline();

        assertThat(baseline.heardSeconds()).isZero();
        assertThat(baseline.usualValue(PITCH)).isEqualTo(165.0);
        assertThat(baseline.zScore(PITCH, 215)).as("prior 165 ± 50 Hz").isCloseTo(1.0, within(1e-12));
        assertThat(baseline.zScore("no_such_cue", 1)).isNaN();
    }

    @Test
    void afterFiveMinutesAtTwoHundredHertzTwoHundredAndThirtyIsThreeSpreadsUp() {
        SpeakerBaseline baseline = new SpeakerBaseline();
        for (int i = 0; i < 100; i++) {
            // Mean 200 Hz, standard deviation exactly 10 Hz.
            baseline.update(utterance(i % 2 == 0 ? 190 : 210, -26), 3.0);
        }

        assertThat(baseline.heardSeconds()).isCloseTo(300, within(1e-9));
        assertThat(baseline.zScore(PITCH, 230)).isCloseTo(3.0, within(0.5));
        assertThat(baseline.relativeToUsual(PITCH, 230)).as("15 % above the usual 200 Hz")
                .isCloseTo(0.15, within(0.02));
        assertThat(baseline.decibelsAboveUsual(AcousticCues.LOUDNESS_DBFS, -20)).isCloseTo(6, within(1e-9));
    }

    @Test
    void theNormIsTheWeightedMeanAndVarianceWithWeightsHalvingEveryMinuteOfSpeech() {
        SpeakerBaseline baseline = new SpeakerBaseline();

        baseline.update(utterance(100, -26), 60);
        baseline.update(utterance(200, -26), 60);

        // The first minute now weighs 30 s, the second 60 s.
        assertThat(baseline.means.get(PITCH)).isCloseTo((30 * 100 + 60 * 200) / 90.0, within(1e-9));
        double mean = (30 * 100 + 60 * 200) / 90.0;
        double variance = (30 * Math.pow(100 - mean, 2) + 60 * Math.pow(200 - mean, 2)) / 90;
        assertThat(baseline.variances.get(PITCH)).isCloseTo(variance, within(1e-9));
        // 120 s heard against the prior's 2 s for the mean and 10 s for the spread.
        double meanShare = 120 / 122.0;
        double share = 120 / 130.0;
        assertThat(baseline.usualValue(PITCH)).isCloseTo(meanShare * mean + (1 - meanShare) * 165, within(1e-9));
        assertThat(baseline.usualSpread(PITCH)).isCloseTo(share * Math.sqrt(variance) + (1 - share) * 50, within(1e-9));
    }

    @Test
    void aLowVoiceIsItsSpeakersUsualAfterOneSentenceWhileTheSpreadStillLeansOnThePrior() {
        SpeakerBaseline baseline = new SpeakerBaseline();

        baseline.update(utterance(100, -40), 3.0);

        // Mean: 3 s against the prior's 2 s; spread (none yet of the speaker's own): 3 s against 10 s.
        assertThat(baseline.usualValue(PITCH)).isCloseTo(0.6 * 100 + 0.4 * 165, within(1e-9));
        assertThat(baseline.usualSpread(PITCH)).isCloseTo(10 / 13.0 * 50, within(1e-9));
        assertThat(baseline.zScore(PITCH, 100)).as("the same low voice again is not far below usual")
                .isCloseTo(-26 / (500 / 13.0), within(1e-9));
    }

    @Test
    void anUtteranceIsScoredAgainstThePastThenAddedToIt() {
        SpeakerBaseline baseline = new SpeakerBaseline();
        for (int i = 0; i < 40; i++) {
            baseline.update(utterance(i % 2 == 0 ? 190 : 210, -26), 3.0);
        }
        AcousticCues excited = utterance(260, -26);

        double before = baseline.zScore(PITCH, 260);
        assertThat(baseline.zScore(PITCH, 260)).as("scoring changes nothing").isEqualTo(before);
        baseline.update(excited, 3.0);

        assertThat(before).isGreaterThan(3);
        assertThat(baseline.zScore(PITCH, 260)).as("once added, it is part of the norm").isLessThan(before);
    }

    @Test
    void cuesAnUtteranceCouldNotMeasureLeaveTheirNormAlone() {
        SpeakerBaseline baseline = new SpeakerBaseline();

        baseline.update(utterance(200, -26), 3.0);

        assertThat(baseline.means).doesNotContainKey(AcousticCues.JITTER_PCT);
        assertThat(baseline.zScore(AcousticCues.JITTER_PCT, 1.8)).as("prior 1.2 ± 0.6 %").isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aNegativeSpeechTimeIsABug() {
        assertThatThrownBy(() -> new SpeakerBaseline().update(utterance(200, -26), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void javaSerialisationKeepsTheState() throws Exception {
        SpeakerBaseline baseline = new SpeakerBaseline();
        for (int i = 0; i < 10; i++) {
            baseline.update(utterance(180 + i, -30 + i), 2.5);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(baseline);
        }

        SpeakerBaseline copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (SpeakerBaseline) in.readObject();
        }

        assertThat(copy.heardSeconds()).isEqualTo(baseline.heardSeconds());
        assertThat(copy.means).isEqualTo(baseline.means);
        assertThat(copy.variances).isEqualTo(baseline.variances);
        assertThat(copy.weights).isEqualTo(baseline.weights);
        assertThat(copy.cueSeconds).isEqualTo(baseline.cueSeconds);
        assertThat(copy.zScore(PITCH, 200)).isEqualTo(baseline.zScore(PITCH, 200));
    }

    @Test
    void itIsAPojoFlinkCanKeepInState() throws Exception {
        assertThat(Modifier.isPublic(SpeakerBaseline.class.getModifiers())).isTrue();
        assertThat(SpeakerBaseline.class.getConstructor()).isNotNull();
        for (Field field : SpeakerBaseline.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                assertThat(Modifier.isPublic(field.getModifiers())).as(field.getName()).isTrue();
            }
        }
    }
}
