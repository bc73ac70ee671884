package io.emostream.job.cues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Loudness, speaking rate, pauses and the list of measurements, on signals with known values. */
class AcousticCuesTest {

    @Test
    void aToneOfMinus20DbfsRmsReadsMinus20() {
        AcousticCues cues = AcousticCues.measure(Signals.sine(440, -20, 2));

        assertThat(cues.loudnessDbfs()).isCloseTo(-20, within(0.05));
        assertThat(cues.loudnessPeakDbfs()).isCloseTo(-20, within(0.1));
        assertThat(cues.durationSeconds()).isEqualTo(2.0);
    }

    @Test
    void halfTheAmplitudeReads6Point02DbLower() {
        float[] tone = Signals.sine(440, -20, 2);

        double full = AcousticCues.measure(tone).loudnessDbfs();
        double half = AcousticCues.measure(Signals.times(tone, 0.5)).loudnessDbfs();

        assertThat(full - half).isCloseTo(20 * Math.log10(2), within(0.1));
    }

    @Test
    void aFullScaleSineIsMinus3Point01Dbfs() {
        float[] sine = Signals.sine(1000, 20 * Math.log10(Math.sqrt(0.5)), 1);

        assertThat(AcousticCues.measure(sine).loudnessDbfs()).isCloseTo(-3.01, within(0.01));
    }

    @Test
    void fourVoicedBurstsASecondAreFourSyllablesASecond() {
        AcousticCues cues = AcousticCues.measure(Signals.bursts(Signals.pulseTrain(150, 3), 4));

        assertThat(cues.syllableCount()).isEqualTo(12);
        assertThat(cues.speakingRateSyllablesPerSecond()).isCloseTo(4.0, within(0.5));
    }

    @Test
    void sixVoicedBurstsASecondAreSixSyllablesASecond() {
        AcousticCues cues = AcousticCues.measure(Signals.bursts(Signals.pulseTrain(150, 3), 6));

        assertThat(cues.syllableCount()).isEqualTo(18);
        assertThat(cues.speakingRateSyllablesPerSecond()).isCloseTo(6.0, within(0.6));
    }

    @Test
    void unvoicedBurstsAreNoSyllables() {
        AcousticCues cues = AcousticCues.measure(Signals.bursts(Signals.whiteNoise(-20, 3, 5), 4));

        assertThat(cues.syllableCount()).isZero();
    }

    @Test
    void halfASecondOfSilenceBetweenTwoSecondsOfToneIsAPauseRatioOf0Point2() {
        float[] tone = Signals.sine(440, -20, 1);
        AcousticCues cues = AcousticCues.measure(Signals.concat(tone, Signals.silence(0.5), tone));

        assertThat(cues.pauseRatio()).isCloseTo(0.5 / 2.5, within(0.03));
        assertThat(cues.speechSeconds()).isCloseTo(2.0, within(0.03));
    }

    @Test
    void aGapShorterThan150MsIsNoPause() {
        float[] tone = Signals.sine(440, -20, 1);
        AcousticCues cues = AcousticCues.measure(Signals.concat(tone, Signals.silence(0.1), tone));

        assertThat(cues.pauseRatio()).isZero();
    }

    @Test
    void silenceBeforeAndAfterTheSpeechIsNoPause() {
        AcousticCues cues = AcousticCues.measure(
                Signals.concat(Signals.silence(0.5), Signals.sine(440, -20, 1), Signals.silence(0.5)));

        assertThat(cues.pauseRatio()).isZero();
        assertThat(cues.speechSeconds()).isCloseTo(1.0, within(0.02));
        assertThat(cues.loudnessDbfs()).as("silence does not dilute the level").isCloseTo(-20, within(0.1));
    }

    @Test
    void measurementsCarryStableNamesAndUnitsInAFixedOrder() {
        List<Measurement> measurements = AcousticCues.measure(Signals.bursts(Signals.pulseTrain(150, 2), 4)).asMeasurements();

        assertThat(measurements).extracting(Measurement::name).containsExactly("pitch_mean_hz", "pitch_range_st",
                "pitch_slope_st_per_s", "voiced_ratio", "loudness_dbfs", "loudness_peak_dbfs",
                "speaking_rate_syl_per_s", "pause_ratio", "jitter_pct", "shimmer_pct", "hnr_db",
                "spectral_tilt_db_per_oct");
        assertThat(measurements).extracting(Measurement::unit).containsExactly("Hz", "st", "st/s", "ratio", "dBFS",
                "dBFS", "syl/s", "ratio", "%", "%", "dB", "dB/oct");
        assertThat(measurements).allSatisfy(m -> assertThat(m.value()).isFinite());
    }

    @Test
    void cuesThatNeedVoicingAreLeftOutOfNoise() {
        AcousticCues cues = AcousticCues.measure(Signals.whiteNoise(-20, 2, 7));

        assertThat(cues.pitchMeanHz()).isNull();
        assertThat(cues.jitterPercent()).isNull();
        assertThat(cues.spectralTiltDbPerOctave()).isNull();
        assertThat(cues.asMeasurements()).as("no syllables: no speaking rate either").extracting(Measurement::name)
                .containsExactly("voiced_ratio", "loudness_dbfs", "loudness_peak_dbfs", "pause_ratio", "hnr_db");
    }

    @Test
    void aSpeakingRateNoSpeakerHasIsAFailedCountAndLeftOut() {
        AcousticCues drawnOut = AcousticCues.measure(Signals.pulseTrain(150, 3));

        assertThat(drawnOut.speakingRateSyllablesPerSecond()).isLessThan(AcousticCues.MIN_PLAUSIBLE_RATE);
        assertThat(drawnOut.asMeasurements()).extracting(Measurement::name).doesNotContain("speaking_rate_syl_per_s");
    }

    @Test
    void digitalSilenceMeasuresWithoutFailing() {
        AcousticCues cues = AcousticCues.measure(new float[4000]);

        assertThat(cues.loudnessDbfs()).isEqualTo(-120.0);
        assertThat(cues.voicedRatio()).isZero();
        assertThat(cues.speakingRateSyllablesPerSecond()).isZero();
        assertThat(cues.hnrDb()).isNull();
    }

    @Test
    void anUtteranceShorterThanOneFrameIsRejected() {
        assertThatThrownBy(() -> AcousticCues.measure(new float[100]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 320 samples");
    }
}
