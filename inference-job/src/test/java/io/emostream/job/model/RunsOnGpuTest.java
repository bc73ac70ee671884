package io.emostream.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunsOnGpuTest {

    @Test
    void modelsOfOneTaskManagerSpreadOverItsGpusFewestFirst() {
        RunsOnGpu.Share share = new RunsOnGpu.Share();
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            taken.add(share.take(List.of("3", " 1")));
        }
        assertThat(taken).containsExactly(1, 3, 1, 3);

        share.give(3);
        assertThat(share.take(List.of("3", "1"))).as("the GPU a closed model left has the fewest").isEqualTo(3);
        share.give(1);
        share.give(1);
        assertThat(share.take(List.of("3", "1"))).isEqualTo(1);
    }

    @Test
    void withoutDiscoveredGpusItIsDeviceZero() {
        assertThat(new RunsOnGpu.Share().take(List.of())).isZero();
    }

    @Test
    void anIndexThatIsNotANumberNamesTheDiscoveryScript() {
        assertThatThrownBy(() -> new RunsOnGpu.Share().take(List.of("GPU-0"))).hasMessage("Flink's GPU discovery gave 'GPU-0'"
                + " as a GPU index; check the discovery script (external-resource.gpu.param.discovery-script.path), which"
                + " must print indexes such as 0,1.");
    }
}
