package io.emostream.job.model.tensorrt.cuda;

import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.tensorrt.global.nvinfer.createInferRuntime;

import io.emostream.job.model.tensorrt.EngineContext;
import io.emostream.job.model.tensorrt.EngineDescription;
import io.emostream.job.model.tensorrt.ShapeRange;
import io.emostream.job.model.tensorrt.SharedEngine;
import io.emostream.job.model.tensorrt.TensorSpec;
import io.emostream.job.model.tensorrt.TensorType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * The engines deserialised in this TaskManager JVM: one per engine file (as it is on disk now) and GPU, shared by
 * every subtask that opens it, counted by reference. Deserialising costs seconds and a copy of the weights in GPU
 * memory, so subtasks on one GPU share one copy and each takes an execution context of it.
 *
 * <p>Engines and contexts stay cached when their last subtask closes (their buffers are freed): the JavaCPP presets
 * 1.5.13 cannot delete TensorRT 10 objects (deallocate() does nothing for them, bytedeco/javacpp-presets#1699), so
 * a job restarted in the same class loader reuses them instead of loading another copy.
 */
final class EngineCache {
    private static final Map<String, CachedEngine> ENGINES = new HashMap<>();

    private EngineCache() {
    }

    static synchronized SharedEngine acquire(Path file, int device, String version) {
        String key;
        try {
            key = file.toRealPath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis() + "|" + device;
        } catch (IOException e) {
            throw new UncheckedIOException("The engine " + file + " cannot be read", e);
        }
        CachedEngine engine = ENGINES.get(key);
        if (engine == null) {
            engine = CachedEngine.deserialize(file, device, version);
            ENGINES.put(key, engine);
        }
        engine.references++;
        return new Lease(engine);
    }

    private static synchronized void release(CachedEngine engine) {
        if (--engine.references == 0) {
            engine.contexts.forEach(CudaContext::freeBuffers);
        }
    }

    /** One subtask's reference: its context is picked in turn, so subtasks spread over the engine's profiles. */
    private static final class Lease implements SharedEngine {
        private final CachedEngine engine;
        private final AtomicBoolean closed = new AtomicBoolean();

        Lease(CachedEngine engine) {
            this.engine = engine;
        }

        @Override
        public EngineDescription description() {
            return engine.description;
        }

        @Override
        public EngineContext context() {
            synchronized (EngineCache.class) {
                return engine.contexts.get(engine.handedOut++ % engine.contexts.size());
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(engine);
            }
        }
    }

    private static final class CachedEngine {
        // Held for the engine's life: TensorRT needs its runtime to outlive the engine.
        private final IRuntime runtime;
        private final ICudaEngine engine;
        private final EngineDescription description;
        private final List<CudaContext> contexts = new ArrayList<>();
        private int references;
        private int handedOut;

        private CachedEngine(IRuntime runtime, ICudaEngine engine, int device) {
            this.runtime = runtime;
            this.engine = engine;
            this.description = describe(engine);
            for (int profile = 0; profile < Math.max(1, description.profiles().size()); profile++) {
                contexts.add(new CudaContext(engine, description, profile, device));
            }
        }

        static CachedEngine deserialize(Path file, int device, String version) {
            Cuda.check(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
            IRuntime runtime = createInferRuntime(TensorRtLog.INSTANCE);
            if (runtime == null) {
                throw new IllegalStateException("TensorRT could not create a runtime (" + TensorRtLog.INSTANCE.takeLastError() + ")");
            }
            ICudaEngine engine;
            try (FileChannel channel = FileChannel.open(file)) {
                if (channel.size() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("The engine " + file + " is over 2 GB, more than emostream can map; build"
                            + " a smaller one (--fp16), or ask for streamed loading.");
                }
                // Mapped, not read: TensorRT copies what it needs from the file's pages, and the heap stays out of it.
                MappedByteBuffer plan = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
                engine = runtime.deserializeCudaEngine(new BytePointer(plan), channel.size());
            } catch (IOException e) {
                throw new UncheckedIOException("The engine " + file + " cannot be read", e);
            }
            if (engine == null) {
                throw new IllegalArgumentException(file + " is not an engine TensorRT " + version + " can load on GPU " + device
                        + " (" + TensorRtLog.INSTANCE.takeLastError() + "); engines only run on the TensorRT version and kind"
                        + " of GPU they were built with: rebuild it there with bin/emotion build-engine.");
            }
            return new CachedEngine(runtime, engine, device);
        }

        private static EngineDescription describe(ICudaEngine engine) {
            List<TensorSpec> tensors = new ArrayList<>();
            for (int i = 0; i < engine.getNbIOTensors(); i++) {
                String name = engine.getIOTensorName(i);
                boolean input = engine.getTensorIOMode(name).intern() == TensorIOMode.kINPUT;
                TensorType type = TensorType.ofTensorRt(engine.getTensorDataType(name).intern().name());
                tensors.add(new TensorSpec(name, input, type, Cuda.shape(engine.getTensorShape(name))));
            }
            List<Map<String, ShapeRange>> profiles = new ArrayList<>();
            for (int p = 0; p < engine.getNbOptimizationProfiles(); p++) {
                Map<String, ShapeRange> ranges = new LinkedHashMap<>();
                for (TensorSpec tensor : tensors) {
                    long[] min = tensor.input() ? Cuda.shape(engine.getProfileShape(tensor.name(), p, OptProfileSelector.kMIN)) : null;
                    // Inputs of fixed shape have no profile range (TensorRT answers with invalid dimensions).
                    if (min != null) {
                        ranges.put(tensor.name(), new ShapeRange(min,
                                Cuda.shape(engine.getProfileShape(tensor.name(), p, OptProfileSelector.kOPT)),
                                Cuda.shape(engine.getProfileShape(tensor.name(), p, OptProfileSelector.kMAX))));
                    }
                }
                profiles.add(ranges);
            }
            return new EngineDescription(tensors, profiles);
        }
    }
}
