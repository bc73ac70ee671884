package io.emostream.job.model.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Where ONNX Runtime runs a model card's model: on the CPU, or on an NVIDIA GPU through the CUDA execution provider or
 * the TensorRT one (with CUDA, then the CPU, taking what TensorRT cannot). The CPU build of ONNX Runtime has neither
 * GPU provider; the {@code onnxruntime-gpu} Maven profile swaps in the GPU build, which needs CUDA 12 and cuDNN 9.
 *
 * @param device      the CUDA device id
 * @param fp16        TensorRT only: let TensorRT build float16 kernels
 * @param engineCache TensorRT only: a directory where built engines are kept across restarts, or null
 */
public record ExecutionProvider(Kind kind, int device, boolean fp16, Path engineCache) {
    public static final ExecutionProvider CPU = new ExecutionProvider(Kind.CPU, 0, false, null);

    public enum Kind { CPU, CUDA, TENSORRT }

    /** Native provider options to free once the session exists. */
    interface Release extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Adds this provider to a session's options. What it returns holds the provider's native options and is closed
     * once the session exists. One sentence naming the card when this ONNX Runtime build or this machine lacks it.
     */
    Release addTo(OrtSession.SessionOptions options, Path cardFile) {
        if (kind == Kind.CPU) {
            return () -> { };
        }
        String name = kind == Kind.CUDA ? "CUDA" : "TensorRT";
        if (!OrtEnvironment.getAvailableProviders().contains(kind == Kind.CUDA ? OrtProvider.CUDA : OrtProvider.TENSOR_RT)) {
            throw new IllegalArgumentException(cardFile + " asks for the " + name + " execution provider, but this ONNX"
                    + " Runtime build has no " + name + " (only " + available() + "); build"
                    + " the job with -Ponnxruntime-gpu for a machine with CUDA 12 and cuDNN 9"
                    + (kind == Kind.TENSORRT ? " and TensorRT 10" : "") + ", or set \"provider\": \"cpu\".");
        }
        OrtTensorRTProviderOptions tensorRt = null;
        try {
            if (kind == Kind.TENSORRT) {
                tensorRt = new OrtTensorRTProviderOptions(device);
                if (fp16) {
                    tensorRt.add("trt_fp16_enable", "1");
                }
                if (engineCache != null) {
                    Files.createDirectories(engineCache);
                    tensorRt.add("trt_engine_cache_enable", "1");
                    tensorRt.add("trt_engine_cache_path", engineCache.toString());
                }
                options.addTensorrt(tensorRt);
            }
            // Registered after TensorRT, CUDA takes the nodes TensorRT cannot build; the CPU takes the rest.
            options.addCUDA(device);
        } catch (OrtException e) {
            close(tensorRt);
            throw new IllegalArgumentException(cardFile + " asks for the " + name + " execution provider on device "
                    + device + ", but ONNX Runtime could not start it (" + e.getMessage() + "); install CUDA 12 and"
                    + " cuDNN 9" + (kind == Kind.TENSORRT ? " and TensorRT 10" : "") + " where the job runs, check the"
                    + " device id, or set \"provider\": \"cpu\".", e);
        } catch (IOException e) {
            close(tensorRt);
            throw new IllegalArgumentException(cardFile + ": the TensorRT engine cache " + engineCache + " cannot be"
                    + " created (" + e.getMessage() + "); give a writable directory.", e);
        }
        OrtTensorRTProviderOptions created = tensorRt;
        return () -> close(created);
    }

    private static String available() {
        return OrtEnvironment.getAvailableProviders().stream().map(Enum::name).collect(Collectors.joining(", "));
    }

    private static void close(OrtTensorRTProviderOptions options) {
        if (options != null) {
            options.close();
        }
    }
}
