package io.emostream.launcher.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CalibrationTest {
    @Test
    void expectedCalibrationErrorOverTenBins() {
        double[] confidence = {0.95, 0.92, 0.85, 0.55, 0.52, 0.58, 0.3};
        boolean[] correct = {true, true, false, true, false, false, false};

        Calibration calibration = Calibration.of(confidence, correct, 10);

        // (0.9, 1]: 2 clips, mean confidence 0.935, accuracy 1:    |1 − 0.935| = 0.065
        // (0.8, 0.9]: 1 clip, 0.85, accuracy 0:                    0.85
        // (0.5, 0.6]: 3 clips, (0.55 + 0.52 + 0.58) / 3 = 0.55, 1/3: |1/3 − 0.55|, times 3 = 0.65
        // (0.2, 0.3]: 1 clip, 0.3, accuracy 0:                     0.3
        // ECE = (2 × 0.065 + 0.85 + 0.65 + 0.3) / 7 = 1.93 / 7
        assertThat(calibration.expectedError()).isCloseTo(1.93 / 7, within(1e-12));
        assertThat(calibration.items()).isEqualTo(7);
        assertThat(calibration.bins()).hasSize(10);
        Calibration.Bin fifth = calibration.bins().get(5);
        assertThat(fifth.lower()).isEqualTo(0.5);
        assertThat(fifth.upper()).isEqualTo(0.6);
        assertThat(fifth.count()).isEqualTo(3);
        assertThat(fifth.meanConfidence()).isCloseTo(0.55, within(1e-12));
        assertThat(fifth.accuracy()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(calibration.bins().get(0).count()).isZero();
        assertThat(calibration.bins().get(0).accuracy()).isNaN();
    }

    @Test
    void binsIncludeTheirUpperBound() {
        assertThat(Calibration.bin(0.0, 10)).isZero();
        assertThat(Calibration.bin(0.1, 10)).isZero();
        assertThat(Calibration.bin(0.10001, 10)).isEqualTo(1);
        assertThat(Calibration.bin(0.7, 10)).isEqualTo(6);
        assertThat(Calibration.bin(1.0, 10)).isEqualTo(9);
    }

    @Test
    void aPerfectlyCalibratedModelHasNoError() {
        // Four at 0.75 confidence, three right: accuracy 0.75.
        Calibration calibration = Calibration.of(new double[] {0.75, 0.75, 0.75, 0.75}, new boolean[] {true, true, true, false}, 10);
        assertThat(calibration.expectedError()).isCloseTo(0, within(1e-12));
        assertThat(Calibration.of(new double[0], new boolean[0], 10).expectedError()).isNaN();
    }
}
