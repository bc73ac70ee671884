package io.emostream.job.model.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunPlannerTest {
    private static final BatchLimits LIMITS = new BatchLimits(2, 3, 4_000, 160_000);

    @Test
    void maskedUtterancesAreSortedByLengthAndCutIntoRunsOfAtMostTheLargestBatch() {
        List<Run> runs = RunPlanner.plan(new int[] {50_000, 1_000, 9_000, 3_000, 160_000, 8_000, 7_000}, true, LIMITS);

        assertThat(runs).containsExactly(
                new Run(List.of(1, 3, 6), 3, 7_000),
                new Run(List.of(5, 2, 0), 3, 50_000),
                new Run(List.of(4), 2, 160_000));
    }

    @Test
    void runsArePaddedUpToTheSmallestBatchAndLength() {
        assertThat(RunPlanner.plan(new int[] {100}, true, LIMITS)).containsExactly(new Run(List.of(0), 2, 4_000));
        assertThat(RunPlanner.plan(new int[] {100}, false, LIMITS)).containsExactly(new Run(List.of(0), 2, 4_000));
    }

    @Test
    void unmaskedUtterancesShareARunOnlyWithTheirOwnLengthInArrivalOrder() {
        List<Run> runs = RunPlanner.plan(new int[] {8_000, 16_000, 8_000, 8_000, 8_000, 16_000}, false, LIMITS);

        assertThat(runs).containsExactly(
                new Run(List.of(0, 2, 3), 3, 8_000),
                new Run(List.of(4), 2, 8_000),
                new Run(List.of(1, 5), 2, 16_000));
    }

    @Test
    void anEmptyBatchHasNoRunsAndAnUncutUtteranceIsOurBug() {
        assertThat(RunPlanner.plan(new int[0], true, LIMITS)).isEmpty();
        assertThatThrownBy(() -> RunPlanner.plan(new int[] {160_001}, true, LIMITS)).isInstanceOf(IllegalStateException.class);
    }
}
