package io.emostream.launcher.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConcordanceTest {
    @Test
    void aShiftLowersConcordanceThoughTheCorrelationIsPerfect() {
        // x = 1, 2, 3, 4; y = x + 1. Means 2.5 and 3.5; variances (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25 each;
        // covariance 1.25. CCC = 2 (1.25) / (1.25 + 1.25 + 1²) = 2.5 / 3.5 = 5/7.
        assertThat(Concordance.ccc(new double[] {1, 2, 3, 4}, new double[] {2, 3, 4, 5})).isCloseTo(5.0 / 7, within(1e-12));
    }

    @Test
    void concordanceOfCentredValues() {
        // x = 0, 0.5, -0.5; y = 0.2, 0.4, -0.6. Both means 0; var x = 0.5 / 3; var y = (0.04 + 0.16 + 0.36) / 3 = 0.56 / 3;
        // cov = (0 + 0.2 + 0.3) / 3 = 0.5 / 3. CCC = (1 / 3) / (1.06 / 3) = 1 / 1.06.
        assertThat(Concordance.ccc(new double[] {0, 0.5, -0.5}, new double[] {0.2, 0.4, -0.6}))
                .isCloseTo(1 / 1.06, within(1e-12));
    }

    @Test
    void agreementDisagreementAndTheUndefinedCases() {
        double[] x = {-0.5, 0.1, 0.7};
        assertThat(Concordance.ccc(x, x)).isCloseTo(1, within(1e-12));
        // Mirrored about their common mean 0.1: perfect disagreement.
        assertThat(Concordance.ccc(x, new double[] {0.7, 0.1, -0.5})).isCloseTo(-1, within(1e-12));
        // A constant prediction does not co-vary: 0, however close its mean.
        assertThat(Concordance.ccc(x, new double[] {0.1, 0.1, 0.1})).isZero();
        assertThat(Concordance.ccc(new double[] {0.3, 0.3}, new double[] {0.3, 0.3})).isNaN();
        assertThat(Concordance.ccc(new double[0], new double[0])).isNaN();
    }
}
