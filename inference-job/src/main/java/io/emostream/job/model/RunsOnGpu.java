package io.emostream.job.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A model that runs on one GPU of its TaskManager, told which before it opens. */
public interface RunsOnGpu {

    /** @param device the CUDA device index */
    void useGpu(int device);

    /**
     * Which GPU each model of one TaskManager JVM runs on. Flink's GPU plugin gives each TaskManager its GPUs by
     * index (external resource "gpu", property "index"); a model opening takes the one fewest models of this JVM use
     * (the lowest index on a tie) and gives it back when it closes. Job-wide subtask indexes would not do: the
     * subtasks that land on one TaskManager (0 and 2, say) can all pick the same GPU of two.
     */
    final class Share {
        /** The share of this JVM, that is of this TaskManager. */
        public static final Share JVM = new Share();

        private final Map<Integer, Integer> open = new TreeMap<>();

        /** The GPU for a model about to open; device 0 where Flink's GPU plugin gave none. */
        public synchronized int take(Collection<String> indexes) {
            List<Integer> devices = indexes.stream().map(String::strip).map(Share::index).sorted().toList();
            if (devices.isEmpty()) {
                return 0;
            }
            int chosen = devices.get(0);
            for (int device : devices) {
                if (open.getOrDefault(device, 0) < open.getOrDefault(chosen, 0)) {
                    chosen = device;
                }
            }
            open.merge(chosen, 1, Integer::sum);
            return chosen;
        }

        /** A model on this GPU has closed. */
        public synchronized void give(int device) {
            open.computeIfPresent(device, (d, count) -> count > 1 ? count - 1 : null);
        }

        private static int index(String index) {
            try {
                return Integer.parseInt(index);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Flink's GPU discovery gave '" + index + "' as a GPU index; check the"
                        + " discovery script (external-resource.gpu.param.discovery-script.path), which must print indexes"
                        + " such as 0,1.", e);
            }
        }
    }
}
