package io.emostream.job.model.tensorrt.cuda;

import static org.bytedeco.cuda.global.cudart.cudaGetErrorName;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import io.emostream.job.model.tensorrt.TensorSpec;
import org.bytedeco.tensorrt.nvinfer.Dims64;

/** CUDA status codes and TensorRT dimensions, turned into Java. */
final class Cuda {
    private Cuda() {
    }

    /** Fails with CUDA's own name and words for a status other than success. */
    static void check(int status, String call) {
        if (status != cudaSuccess) {
            throw new IllegalStateException(call + " failed: " + error(status));
        }
    }

    static String error(int status) {
        return cudaGetErrorName(status).getString() + ", " + cudaGetErrorString(status).getString();
    }

    /** The dimensions as an array, or null where TensorRT answered with invalid ones (a negative count). */
    static long[] shape(Dims64 dims) {
        if (dims.nbDims() < 0) {
            return null;
        }
        long[] shape = new long[dims.nbDims()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.d(i);
        }
        return shape;
    }

    static Dims64 dims(long[] shape) {
        Dims64 dims = new Dims64();
        dims.nbDims(shape.length);
        for (int i = 0; i < shape.length; i++) {
            dims.d(i, shape[i]);
        }
        return dims;
    }

    static long bytes(TensorSpec tensor, long[] shape) {
        return tensor.type().bytes(TensorSpec.elements(shape));
    }
}
