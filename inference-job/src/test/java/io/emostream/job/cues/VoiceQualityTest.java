package io.emostream.job.cues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Jitter, shimmer and HNR against pulse trains whose periods, amplitudes and noise are known. */
class VoiceQualityTest {

    @ParameterizedTest
    @ValueSource(doubles = {150, 300})
    void aPerfectlyPeriodicPulseTrainHasNearlyNoJitterOrShimmerAndAHighHnr(double hz) {
        AcousticCues cues = AcousticCues.measure(Signals.pulseTrain(hz, 2));

        assertThat(cues.jitterPercent()).isLessThan(0.5);
        assertThat(cues.shimmerPercent()).isLessThan(1.0);
        assertThat(cues.hnrDb()).isGreaterThan(20);
    }

    @Test
    void randomPeriodsOfTwoPercentReadAsTheJitterTheyHave() {
        Signals.Perturbed voice = Signals.perturbedPulseTrain(150, 3, 0.02, 0, 7);

        AcousticCues cues = AcousticCues.measure(voice.samples());

        assertThat(voice.jitterPercent()).as("as generated").isBetween(1.0, 4.0);
        assertThat(cues.jitterPercent()).isBetween(1.0, 4.0).isCloseTo(voice.jitterPercent(), within(0.3));
        assertThat(cues.shimmerPercent()).as("amplitudes are steady").isLessThan(1.0);
    }

    @Test
    void randomAmplitudesOfFivePercentReadAsTheShimmerTheyHave() {
        Signals.Perturbed voice = Signals.perturbedPulseTrain(150, 3, 0, 0.05, 7);

        AcousticCues cues = AcousticCues.measure(voice.samples());

        assertThat(cues.shimmerPercent()).isCloseTo(voice.shimmerPercent(), within(0.5));
        assertThat(cues.jitterPercent()).as("periods are steady").isLessThan(0.5);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 10, 20})
    void theHnrOfAPulseTrainInWhiteNoiseIsItsSignalToNoiseRatio(double snrDb) {
        float[] voice = Signals.scaleToRms(Signals.pulseTrain(150, 2), -20);
        float[] noisy = Signals.plus(voice, Signals.whiteNoise(-20 - snrDb, 2, 3));

        assertThat(AcousticCues.measure(noisy).hnrDb()).isCloseTo(snrDb, within(1.0));
    }

    @Test
    void noiseAtTheLevelOfTheVoiceBringsTheHnrFarBelowTenDb() {
        float[] voice = Signals.scaleToRms(Signals.pulseTrain(150, 2), -20);
        double clean = AcousticCues.measure(voice).hnrDb();

        double noisy = AcousticCues.measure(Signals.plus(voice, Signals.whiteNoise(-20, 2, 3))).hnrDb();

        assertThat(clean).isGreaterThan(20);
        assertThat(noisy).isLessThan(10);
    }

    @Test
    void tooFewCyclesLeaveJitterAndShimmerUnmeasured() {
        float[] blip = Signals.concat(Signals.pulseTrain(150, 0.05), Signals.silence(0.3));

        AcousticCues cues = AcousticCues.measure(blip);

        assertThat(cues.jitterPercent()).isNull();
        assertThat(cues.shimmerPercent()).isNull();
    }
}
