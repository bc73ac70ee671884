package io.emostream.job.model.tensorrt;

import java.nio.file.Path;

/**
 * TensorRT as emostream uses it, in plain Java types, so that nothing outside {@code model.tensorrt.cuda} needs the
 * GPU libraries: get one from {@link TensorRtLibraries#load}, which loads them on first use.
 */
public interface TensorRt {

    /** TensorRT's version as loaded, e.g. "10.15.1". */
    String version();

    /** How many CUDA devices this process sees. */
    int devices();

    /**
     * The engine in this file, deserialised on this GPU once per TaskManager JVM and shared by its subtasks: each
     * call takes a reference, which {@link SharedEngine#close()} gives back.
     */
    SharedEngine engine(Path file, int device);

    /** Builds a serialised engine from an ONNX model with TensorRT's builder ({@code bin/emotion build-engine}). */
    void build(EngineBuild build);
}
