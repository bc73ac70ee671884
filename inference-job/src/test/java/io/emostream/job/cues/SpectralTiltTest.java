package io.emostream.job.cues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The long-term spectrum's slope against noises of known slope, and against a voice before and after a low-pass. */
class SpectralTiltTest {
    private static final int FRAMES = 140;

    @ParameterizedTest
    @CsvSource({"0, 0", "-1, -3.01", "-2, -6.02"})
    void noiseWhosePowerGoesAsFToTheNReadsNTimes3Point01DbPerOctave(double exponent, double expected) {
        float[] noise = Signals.powerLawNoise(exponent, 3, 9);
        double[] spectrum = SpectralTilt.averageSpectrum(noise, everyTwentyMilliseconds(), FRAMES);

        for (double f0 : new double[] {100, 150, 300}) {
            assertThat(SpectralTilt.tiltDbPerOctave(spectrum, f0)).as("bands on the harmonics of %s Hz", f0)
                    .isCloseTo(expected, within(0.4));
        }
    }

    @Test
    void whiteNoiseIsFlat() {
        float[] noise = Signals.whiteNoise(-20, 3, 5);
        double[] spectrum = SpectralTilt.averageSpectrum(noise, everyTwentyMilliseconds(), FRAMES);

        assertThat(SpectralTilt.tiltDbPerOctave(spectrum, 150)).isCloseTo(0, within(0.3));
    }

    @Test
    void lowPassFilteringAVoiceMakesItsTiltClearlySteeper() {
        float[] voice = Signals.pulseTrain(150, 2);

        double bright = AcousticCues.measure(voice).spectralTiltDbPerOctave();
        double muffled = AcousticCues.measure(Signals.lowPass(voice, 500)).spectralTiltDbPerOctave();

        assertThat(muffled).isLessThan(bright - 5);
    }

    @Test
    void theTiltOfAVoiceDoesNotDependOnItsPitch() {
        double low = AcousticCues.measure(Signals.pulseTrain(100, 2)).spectralTiltDbPerOctave();
        double middle = AcousticCues.measure(Signals.pulseTrain(150, 2)).spectralTiltDbPerOctave();
        double high = AcousticCues.measure(Signals.pulseTrain(300, 2)).spectralTiltDbPerOctave();

        assertThat(middle).isCloseTo(low, within(0.5));
        assertThat(high).isCloseTo(low, within(0.5));
    }

    @Test
    void thePowerSpectrumKeepsTheEnergyOfTheFrame() {
        Random random = new Random(3);
        double[] frame = new double[512];
        double energy = 0;
        for (int i = 0; i < frame.length; i++) {
            frame[i] = random.nextGaussian();
            energy += frame[i] * frame[i];
        }
        double[] power = new double[257];

        new PowerSpectrum(512).accumulate(frame, power);

        // Parseval: Σ|X[k]|² over all 512 bins is 512·Σx²; bins 1..255 stand for their mirror images too.
        double sum = power[0] + power[256];
        for (int k = 1; k < 256; k++) {
            sum += 2 * power[k];
        }
        assertThat(sum).isCloseTo(512 * energy, within(1e-6 * 512 * energy));
    }

    @Test
    void aSineOnABinPutsAllItsPowerInThatBin() {
        double[] frame = new double[512];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = Math.cos(2 * Math.PI * 37 * i / 512);
        }
        double[] power = new double[257];

        new PowerSpectrum(512).accumulate(frame, power);

        assertThat(power[37]).isCloseTo(256.0 * 256.0, within(1e-6));
        for (int k = 0; k < power.length; k++) {
            if (k != 37) {
                assertThat(power[k]).as("bin %d", k).isLessThan(1e-12);
            }
        }
    }

    private static int[] everyTwentyMilliseconds() {
        int[] centres = new int[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            centres[i] = 400 + 320 * i;
        }
        return centres;
    }
}
