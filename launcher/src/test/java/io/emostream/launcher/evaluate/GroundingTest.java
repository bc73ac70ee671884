package io.emostream.launcher.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroundingTest {
    @Test
    void claimsAreSummedOverUtterances() {
        // Three utterances: 3 claims with 1 contradicted, 2 claims all supported, no claim.
        Grounding total = Grounding.ofUtterance(3, 1).plus(Grounding.ofUtterance(2, 0)).plus(Grounding.ofUtterance(0, 0));

        assertThat(total).isEqualTo(new Grounding(3, 5, 4, 1));
        // 4 of 5 claims supported; 1 of 3 utterances with a contradiction.
        assertThat(total.rate()).isEqualTo(0.8);
        assertThat(total.contradictionShare()).isEqualTo(1.0 / 3);
        assertThat(Grounding.ofUtterance(0, 0).rate()).isNaN();
        assertThat(Grounding.NONE.contradictionShare()).isNaN();
    }
}
