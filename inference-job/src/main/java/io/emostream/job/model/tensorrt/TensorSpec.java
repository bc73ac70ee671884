package io.emostream.job.model.tensorrt;

/**
 * One input or output of an engine as TensorRT declares it.
 *
 * @param shape its dimensions; -1 where the size is given at run time (within the optimisation profile)
 */
public record TensorSpec(String name, boolean input, TensorType type, long[] shape) {

    public TensorSpec {
        shape = shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Elements in a tensor of this shape. */
    public static long elements(long[] shape) {
        long elements = 1;
        for (long dimension : shape) {
            elements = Math.multiplyExact(elements, dimension);
        }
        return elements;
    }
}
