package io.emostream.job.model.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferCapacityTest {

    @Test
    void buffersGrowToWhatIsNeededOrDoubleAndNeverShrink() {
        assertThat(BufferCapacity.next(0, 1_000, 1 << 20)).isEqualTo(1_000);
        assertThat(BufferCapacity.next(1_000, 800, 1 << 20)).isEqualTo(1_000);
        assertThat(BufferCapacity.next(1_000, 1_200, 1 << 20)).isEqualTo(2_000);
        assertThat(BufferCapacity.next(1_000, 5_000, 1 << 20)).isEqualTo(5_000);
    }

    @Test
    void theProfilesLargestInputCapsTheGrowth() {
        assertThat(BufferCapacity.next(700_000, 800_000, 1 << 20)).isEqualTo(1 << 20);
        assertThat(BufferCapacity.next(1 << 20, 1 << 20, 1 << 20)).isEqualTo(1 << 20);
        assertThatThrownBy(() -> BufferCapacity.next(0, (1 << 20) + 1, 1 << 20)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStreamOfVaryingRunsSettlesAfterAFewReallocations() {
        long most = BufferCapacity.most(new TensorSpec("waveform", true, TensorType.FLOAT, new long[] {-1, -1}),
                new BatchLimits(1, 32, 1, 30 * 16_000));
        assertThat(most).isEqualTo(32L * 480_000 * 4);
        List<Long> sizes = new ArrayList<>();
        long capacity = 0;
        long largest = 0;
        for (int run = 0; run < 200; run++) {
            long needed = 4L * (1 + run % 32) * (16_000 + (run * 7919L) % 200_000);
            long next = BufferCapacity.next(capacity, needed, most);
            if (next != capacity) {
                sizes.add(next);
                capacity = next;
            }
            assertThat(capacity).isGreaterThanOrEqualTo(needed);
            largest = Math.max(largest, needed);
        }
        // Every reallocation at least doubles: a handful for a 400-fold range of run sizes, then none.
        for (int i = 1; i < sizes.size(); i++) {
            assertThat(sizes.get(i)).isGreaterThanOrEqualTo(2 * sizes.get(i - 1));
        }
        assertThat(sizes).hasSizeLessThanOrEqualTo(1 + (int) Math.ceil(Math.log((double) largest / sizes.get(0)) / Math.log(2)));
        assertThat(sizes.get(sizes.size() - 1)).isLessThan(2 * largest);
    }
}
