package io.emostream.job.model;

import java.util.Collection;
import java.util.List;

/** A model that runs on one GPU of its TaskManager, told which before it opens. */
public interface RunsOnGpu {

    /** @param device the CUDA device index */
    void useGpu(int device);

    /**
     * The GPU for a subtask. Flink's GPU plugin gives each TaskManager its GPUs by index (external resource "gpu",
     * property "index"); subtasks take them in turn by subtask index. Without the plugin configured: device 0.
     */
    static int forSubtask(Collection<String> indexes, int subtask) {
        List<Integer> devices = indexes.stream().map(String::strip).map(index -> {
            try {
                return Integer.parseInt(index);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Flink's GPU discovery gave '" + index + "' as a GPU index; check the"
                        + " discovery script (external-resource.gpu.param.discovery-script.path), which must print indexes"
                        + " such as 0,1.", e);
            }
        }).sorted().toList();
        return devices.isEmpty() ? 0 : devices.get(subtask % devices.size());
    }
}
