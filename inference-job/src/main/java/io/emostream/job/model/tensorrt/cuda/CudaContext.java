package io.emostream.job.model.tensorrt.cuda;

import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import io.emostream.job.model.tensorrt.EngineContext;
import io.emostream.job.model.tensorrt.EngineDescription;
import io.emostream.job.model.tensorrt.ShapeRange;
import io.emostream.job.model.tensorrt.TensorSpec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;

/**
 * One execution context of a shared engine, bound to its own optimisation profile, with its own CUDA stream and a
 * pinned host buffer and device buffer per tensor, kept between runs. One run at a time (a lock), because the
 * context's shapes, addresses and buffers belong to the run in progress.
 */
final class CudaContext implements EngineContext {
    private final ReentrantLock lock = new ReentrantLock();
    private final int device;
    private final int profile;
    private final IExecutionContext context;
    private final CUstream_st stream = new CUstream_st();
    private final Map<String, TensorSpec> tensors = new LinkedHashMap<>();
    private final Map<String, Long> most = new HashMap<>();
    private final Map<String, PinnedBuffer> buffers = new HashMap<>();

    CudaContext(ICudaEngine engine, EngineDescription description, int profile, int device) {
        this.device = device;
        this.profile = profile;
        description.tensors().forEach(t -> tensors.put(t.name(), t));
        for (TensorSpec tensor : description.tensors()) {
            ShapeRange range = description.profiles().isEmpty() ? null : description.profiles().get(profile).get(tensor.name());
            // Inputs never need more than the profile's largest shape; outputs are sized by the engine, run by run.
            most.put(tensor.name(), !tensor.input() ? Long.MAX_VALUE
                    : Cuda.bytes(tensor, range != null ? range.max() : tensor.shape()));
        }
        Cuda.check(cudaStreamCreateWithFlags(stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
        context = engine.createExecutionContext();
        if (context == null) {
            throw new IllegalStateException("TensorRT could not create an execution context on GPU " + device + " ("
                    + TensorRtLog.INSTANCE.takeLastError() + ")");
        }
        if (profile > 0 && !context.setOptimizationProfileAsync(profile, stream)) {
            throw new IllegalStateException("TensorRT could not select optimisation profile " + profile + " ("
                    + TensorRtLog.INSTANCE.takeLastError() + ")");
        }
        Cuda.check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    @Override
    public EngineRun claim() {
        lock.lock();
        try {
            // The current device is per thread, and subtasks of one TaskManager may use different GPUs.
            Cuda.check(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
        return new CudaRun();
    }

    /** Frees the buffers while no subtask uses the engine; they are allocated again by the next run. */
    void freeBuffers() {
        lock.lock();
        try {
            Cuda.check(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
            buffers.values().forEach(PinnedBuffer::free);
            buffers.clear();
        } finally {
            lock.unlock();
        }
    }

    private final class CudaRun implements EngineRun {
        private final Map<String, long[]> shapes = new HashMap<>();
        private boolean closed;

        @Override
        public ByteBuffer input(String name, long[] shape) {
            TensorSpec tensor = tensors.get(name);
            if (tensor == null || !tensor.input()) {
                throw new IllegalStateException(name + " is not an input of this engine");
            }
            if (!context.setInputShape(name, Cuda.dims(shape))) {
                throw new IllegalStateException("TensorRT refused the shape " + Arrays.toString(shape) + " for " + name
                        + " under optimisation profile " + profile + " (" + TensorRtLog.INSTANCE.takeLastError() + ")");
            }
            PinnedBuffer buffer = buffers.computeIfAbsent(name, n -> new PinnedBuffer());
            buffer.reserve(Cuda.bytes(tensor, shape), most.get(name));
            shapes.put(name, shape.clone());
            return buffer.hostView();
        }

        @Override
        public void execute() {
            for (TensorSpec tensor : tensors.values()) {
                if (tensor.input()) {
                    if (!shapes.containsKey(tensor.name())) {
                        throw new IllegalStateException("the engine's input " + tensor.name() + " was not given");
                    }
                    PinnedBuffer buffer = buffers.get(tensor.name());
                    Cuda.check(cudaMemcpyAsync(buffer.device(), buffer.host(), buffer.used(), cudaMemcpyHostToDevice, stream),
                            "cudaMemcpyAsync to the GPU");
                    bind(tensor.name(), buffer);
                }
            }
            for (TensorSpec tensor : tensors.values()) {
                if (!tensor.input()) {
                    // Known once every input shape is set; data-dependent output shapes are not supported.
                    long[] shape = Cuda.shape(context.getTensorShape(tensor.name()));
                    if (Arrays.stream(shape).anyMatch(d -> d < 0)) {
                        throw new IllegalStateException("the engine's output " + tensor.name() + " has the shape "
                                + Arrays.toString(shape) + ", which depends on the data; emostream needs it known from the inputs");
                    }
                    PinnedBuffer buffer = buffers.computeIfAbsent(tensor.name(), n -> new PinnedBuffer());
                    buffer.reserve(Cuda.bytes(tensor, shape), most.get(tensor.name()));
                    bind(tensor.name(), buffer);
                    shapes.put(tensor.name(), shape);
                }
            }
            if (!context.enqueueV3(stream)) {
                throw new IllegalStateException("TensorRT could not run the engine on GPU " + device + " ("
                        + TensorRtLog.INSTANCE.takeLastError() + ")");
            }
            for (TensorSpec tensor : tensors.values()) {
                if (!tensor.input()) {
                    PinnedBuffer buffer = buffers.get(tensor.name());
                    Cuda.check(cudaMemcpyAsync(buffer.host(), buffer.device(), buffer.used(), cudaMemcpyDeviceToHost, stream),
                            "cudaMemcpyAsync from the GPU");
                }
            }
            Cuda.check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        }

        private void bind(String name, PinnedBuffer buffer) {
            if (!context.setTensorAddress(name, buffer.device())) {
                throw new IllegalStateException("TensorRT refused the device buffer for " + name + " ("
                        + TensorRtLog.INSTANCE.takeLastError() + ")");
            }
        }

        @Override
        public long[] outputShape(String name) {
            return shapes.get(output(name, "outputShape")).clone();
        }

        @Override
        public ByteBuffer output(String name) {
            return buffers.get(output(name, "output")).hostView();
        }

        private String output(String name, String call) {
            TensorSpec tensor = tensors.get(name);
            if (tensor == null || tensor.input() || !shapes.containsKey(name)) {
                throw new IllegalStateException(call + "(" + name + ") before execute(), or not an output of this engine");
            }
            return name;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                lock.unlock();
            }
        }
    }
}
