package io.emostream.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunsOnGpuTest {

    @Test
    void subtasksTakeTheDiscoveredGpusInTurnByIndex() {
        assertThat(RunsOnGpu.forSubtask(List.of("3", " 1"), 0)).isEqualTo(1);
        assertThat(RunsOnGpu.forSubtask(List.of("3", "1"), 1)).isEqualTo(3);
        assertThat(RunsOnGpu.forSubtask(List.of("3", "1"), 2)).isEqualTo(1);
    }

    @Test
    void withoutDiscoveredGpusItIsDeviceZero() {
        assertThat(RunsOnGpu.forSubtask(List.of(), 5)).isZero();
    }

    @Test
    void anIndexThatIsNotANumberNamesTheDiscoveryScript() {
        assertThatThrownBy(() -> RunsOnGpu.forSubtask(List.of("GPU-0"), 0)).hasMessage("Flink's GPU discovery gave 'GPU-0'"
                + " as a GPU index; check the discovery script (external-resource.gpu.param.discovery-script.path), which"
                + " must print indexes such as 0,1.");
    }
}
