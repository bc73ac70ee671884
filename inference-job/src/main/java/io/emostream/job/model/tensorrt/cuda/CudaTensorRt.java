package io.emostream.job.model.tensorrt.cuda;

import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import io.emostream.job.model.tensorrt.EngineBuild;
import io.emostream.job.model.tensorrt.SharedEngine;
import io.emostream.job.model.tensorrt.TensorRt;
import io.emostream.job.model.tensorrt.TensorRtLibraries;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;

/**
 * TensorRT 10 and CUDA through the JavaCPP presets. Created only by {@link TensorRtLibraries}, by name: constructing
 * it loads the native libraries (a {@link LinkageError} names the first one missing) and counts the GPUs.
 */
public final class CudaTensorRt implements TensorRt {
    private final String version;
    private final int devices;

    public CudaTensorRt() {
        // The first call into nvinfer loads CUDA's runtime, cuBLAS, cuDNN and NVRTC with it.
        int encoded = nvinfer.getInferLibVersion();
        Loader.load(nvonnxparser.class);
        int[] count = {0};
        int status = cudaGetDeviceCount(count);
        if (status != cudaSuccess || count[0] == 0) {
            throw new TensorRtLibraries.NoGpuException(status != cudaSuccess ? Cuda.error(status) : "it counts 0 devices");
        }
        version = encoded / 10_000 + "." + encoded / 100 % 100 + "." + encoded % 100;
        devices = count[0];
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public int devices() {
        return devices;
    }

    @Override
    public SharedEngine engine(Path file, int device) {
        if (device < 0 || device >= devices) {
            throw new IllegalArgumentException("GPU " + device + " was chosen for " + file + ", but CUDA sees " + devices
                    + " GPU" + (devices == 1 ? "" : "s") + " here (0 to " + (devices - 1) + "); check the TaskManager's GPU"
                    + " discovery (deploy/README.md, GPUs) and CUDA_VISIBLE_DEVICES.");
        }
        return EngineCache.acquire(file, device, version);
    }

    @Override
    public void build(EngineBuild build) {
        OnnxEngineBuilder.build(build, version);
    }
}
