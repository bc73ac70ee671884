package io.emostream.job.model.tensorrt;

/** The shapes one input accepts under one optimisation profile, and the one TensorRT tuned its kernels for. */
public record ShapeRange(long[] min, long[] opt, long[] max) {

    public ShapeRange {
        min = min.clone();
        opt = opt.clone();
        max = max.clone();
    }

    /** A fixed shape: the only one there is. */
    public static ShapeRange fixed(long[] shape) {
        return new ShapeRange(shape, shape, shape);
    }
}
