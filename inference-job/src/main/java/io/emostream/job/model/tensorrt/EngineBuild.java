package io.emostream.job.model.tensorrt;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code bin/emotion build-engine} asks TensorRT's builder for.
 *
 * @param shapes   the optimisation profile: for each dynamic input of the model, its min, opt and max shapes
 * @param contexts how many identical optimisation profiles to build, one per execution context that may run at once
 * @param fp16     allow half-precision kernels; otherwise float32 throughout (TF32 off), to stay close to ONNX Runtime
 */
public record EngineBuild(Path onnx, Path engine, Map<String, ShapeRange> shapes, int contexts, boolean fp16) {

    public EngineBuild {
        shapes = Map.copyOf(shapes);
    }
}
