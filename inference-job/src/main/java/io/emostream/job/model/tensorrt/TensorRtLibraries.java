package io.emostream.job.model.tensorrt;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one door to TensorRT's native libraries. They are loaded the first time a tensorrt model or
 * {@code build-engine} needs them, through reflection into {@code model.tensorrt.cuda}, the only package that uses
 * the JavaCPP presets: loading nvinfer also loads CUDA's runtime, cuBLAS and cuDNN, so on a machine without them
 * even the presets' classes cannot initialise, and nothing else in emostream may touch them. The outcome is decided
 * once per class loader (a class that failed to initialise stays failed, and later attempts lose the reason), and
 * remembered with its reason.
 */
public final class TensorRtLibraries {
    static final String IMPLEMENTATION = "io.emostream.job.model.tensorrt.cuda.CudaTensorRt";
    private static final Pattern MISSING_LIBRARY = Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file");
    private static final Pattern UNDEFINED_SYMBOL = Pattern.compile("undefined symbol: (\\S+)");
    /** What the libraries a user may lack are, by file name prefix. */
    private static final Map<String, String> WHAT = Map.of("libcuda.", "the NVIDIA driver", "libcudart.", "CUDA's runtime",
            "libnvinfer.", "TensorRT", "libnvonnxparser.", "TensorRT's ONNX parser", "libcudnn", "cuDNN 9",
            "libcublas", "cuBLAS", "libnvrtc", "CUDA's NVRTC");

    private static TensorRt loaded;
    private static String missing;
    private static String noGpu;

    private TensorRtLibraries() {
    }

    /**
     * TensorRT with a GPU to run on, or one sentence saying what is missing.
     *
     * @param user        who needs it, as the user wrote it: "tensorrt:/models/ser", "build-engine"
     * @param alternative the end of the sentence, after "run it on a GPU worker with TensorRT installed"
     */
    public static synchronized TensorRt load(String user, String alternative) {
        if (loaded == null && missing == null && noGpu == null) {
            attempt();
        }
        if (missing != null) {
            throw new IllegalArgumentException(user + " needs NVIDIA TensorRT 10.15 and CUDA 13 on this machine, and could"
                    + " not load them (" + missing + "); run it on a GPU worker with TensorRT installed" + alternative + ".");
        }
        if (noGpu != null) {
            throw new IllegalArgumentException(user + " needs an NVIDIA GPU, and CUDA finds none on this machine (" + noGpu
                    + "); run it on a GPU worker" + alternative + ".");
        }
        return loaded;
    }

    private static void attempt() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            missing = "emostream carries TensorRT's bindings for Linux x86-64 only, and this is " + os + " " + arch;
            return;
        }
        try {
            loaded = (TensorRt) Class.forName(IMPLEMENTATION).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof NoGpuException none) {
                noGpu = none.getMessage();
            } else if (e.getCause() instanceof LinkageError linkage) {
                missing = reason(linkage);
            } else {
                throw new IllegalStateException("TensorRT failed to start", e.getCause());
            }
        } catch (LinkageError e) {
            missing = reason(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(IMPLEMENTATION + " is missing from this build", e);
        }
    }

    /** The library that could not be loaded, named as a user can act on it, from the loader's error. */
    static String reason(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            Matcher library = MISSING_LIBRARY.matcher(message);
            if (library.find()) {
                String name = library.group(1);
                return WHAT.entrySet().stream().filter(e -> name.startsWith(e.getKey())).findFirst()
                        .map(e -> name + ", " + e.getValue() + ", not found").orElse(name + " not found");
            }
            if (message.contains("already loaded in another classloader")) {
                // JavaCPP loads each library from one cached path, and the JVM gives a library to one class loader only.
                return "they are loaded by another job's class loader in this JVM; put the org.bytedeco jars in Flink's lib/"
                        + " (deploy/README.md, GPUs)";
            }
            if (cause instanceof ClassNotFoundException && message.startsWith("org.bytedeco.")) {
                return "the JavaCPP TensorRT bindings, org.bytedeco:tensorrt, are not on the class path";
            }
            Matcher symbol = UNDEFINED_SYMBOL.matcher(message);
            if (symbol.find()) {
                return "undefined symbol " + symbol.group(1) + ": an installed library is not the version the bindings need";
            }
        }
        Throwable innermost = error;
        while (innermost.getCause() != null) {
            innermost = innermost.getCause();
        }
        String first = innermost.getMessage() == null ? innermost.getClass().getSimpleName()
                : innermost.getMessage().lines().findFirst().orElse("").strip();
        return first.length() > 200 ? first.substring(0, 200) + "…" : first;
    }

    /** Thrown by the implementation when the libraries load but CUDA sees no device; the message says why. */
    public static final class NoGpuException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NoGpuException(String reason) {
            super(reason);
        }
    }
}
