package io.emostream.job.model.tensorrt.cuda;

import static org.bytedeco.tensorrt.global.nvinfer.createInferBuilder;
import static org.bytedeco.tensorrt.global.nvonnxparser.createParser;

import io.emostream.job.model.tensorrt.EngineBuild;
import io.emostream.job.model.tensorrt.ShapeRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITensor;
import org.bytedeco.tensorrt.nvonnxparser.IParser;

/**
 * Builds a serialised engine from an ONNX model with TensorRT's builder: parse the ONNX file into a network, give
 * each dynamic input its range in as many identical optimisation profiles as contexts may run at once, choose the
 * precision, build, write. Building tunes kernels for the GPU it runs on, so it runs on the kind of GPU that will
 * serve the engine.
 */
final class OnnxEngineBuilder {
    private OnnxEngineBuilder() {
    }

    @SuppressWarnings("deprecation")
    static void build(EngineBuild build, String version) {
        List<Pointer> made = new ArrayList<>();
        try {
            IBuilder builder = made(made, createInferBuilder(TensorRtLog.INSTANCE), "a builder");
            // Weakly typed: TensorRT picks each layer's precision within what the config allows.
            INetworkDefinition network = made(made, builder.createNetworkV2(0), "a network");
            IParser parser = made(made, createParser(network, TensorRtLog.INSTANCE), "an ONNX parser");
            if (!parser.parseFromFile(build.onnx().toString(), ILogger.Severity.kWARNING.value)) {
                List<String> errors = new ArrayList<>();
                for (int i = 0; i < parser.getNbErrors(); i++) {
                    errors.add(parser.getError(i).desc());
                }
                throw new IllegalArgumentException(build.onnx() + " cannot be read by TensorRT " + version + "'s ONNX parser ("
                        + String.join("; ", errors) + "); check the export (opset, dynamic axes) or use it as onnx:DIR.");
            }
            List<String> inputs = new ArrayList<>();
            for (int i = 0; i < network.getNbInputs(); i++) {
                ITensor input = network.getInput(i);
                inputs.add(input.getName());
                long[] shape = Cuda.shape(input.getDimensions());
                if (Arrays.stream(shape).anyMatch(d -> d < 0) && !build.shapes().containsKey(input.getName())) {
                    throw new IllegalArgumentException(build.onnx() + " has an input " + input.getName() + " of shape "
                            + Arrays.toString(shape) + " that the model card does not name; emostream feeds only the"
                            + " waveform and its mask.");
                }
            }
            for (String name : build.shapes().keySet()) {
                if (!inputs.contains(name)) {
                    throw new IllegalArgumentException("The model card names the input " + name + ", but " + build.onnx()
                            + " has only " + inputs + "; correct input.name or input.mask in the card.");
                }
            }
            IBuilderConfig config = made(made, builder.createBuilderConfig(), "a builder configuration");
            if (build.fp16()) {
                // Deprecated for strongly typed networks; TensorRT 10.15 still honours it, and it lets one float32
                // ONNX export serve both precisions.
                config.setFlag(BuilderFlag.kFP16);
            } else {
                // TF32 is on by default; off, matrix products keep float32's precision, as ONNX Runtime's do.
                config.clearFlag(BuilderFlag.kTF32);
            }
            for (int k = 0; k < build.contexts(); k++) {
                IOptimizationProfile profile = builder.createOptimizationProfile();
                for (Map.Entry<String, ShapeRange> input : build.shapes().entrySet()) {
                    ShapeRange range = input.getValue();
                    if (!profile.setDimensions(input.getKey(), OptProfileSelector.kMIN, Cuda.dims(range.min()))
                            || !profile.setDimensions(input.getKey(), OptProfileSelector.kOPT, Cuda.dims(range.opt()))
                            || !profile.setDimensions(input.getKey(), OptProfileSelector.kMAX, Cuda.dims(range.max()))) {
                        throw new IllegalArgumentException("The profile " + Arrays.toString(range.min()) + " to "
                                + Arrays.toString(range.max()) + " does not fit " + build.onnx() + "'s input " + input.getKey()
                                + " (" + TensorRtLog.INSTANCE.takeLastError() + "); choose --profile within its fixed sizes.");
                    }
                }
                if (config.addOptimizationProfile(profile) < 0) {
                    throw new IllegalArgumentException("TensorRT refused the optimisation profile for " + build.onnx() + " ("
                            + TensorRtLog.INSTANCE.takeLastError() + "); check --profile against the model's inputs.");
                }
            }
            IHostMemory plan = builder.buildSerializedNetwork(network, config);
            if (plan == null) {
                throw new IllegalArgumentException("TensorRT " + version + " could not build an engine from " + build.onnx()
                        + " (" + TensorRtLog.INSTANCE.takeLastError() + ").");
            }
            made.add(plan);
            write(new BytePointer(plan.data()).position(0).capacity(plan.size()).limit(plan.size()).asByteBuffer(), build.engine());
        } finally {
            // Newest first, as TensorRT wants them gone; with presets 1.5.13 this frees nothing (javacpp-presets#1699),
            // which a one-shot command can live with.
            for (int i = made.size() - 1; i >= 0; i--) {
                made.get(i).deallocate();
            }
        }
    }

    private static <P extends Pointer> P made(List<Pointer> made, P object, String what) {
        if (object == null) {
            throw new IllegalStateException("TensorRT could not create " + what + " (" + TensorRtLog.INSTANCE.takeLastError() + ")");
        }
        made.add(object);
        return object;
    }

    /** Written beside the target and moved into place, so a failed build never leaves half an engine. */
    private static void write(ByteBuffer plan, Path engine) {
        try {
            Path partial = engine.resolveSibling(engine.getFileName() + ".partial");
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (plan.hasRemaining()) {
                    out.write(plan);
                }
            }
            Files.move(partial, engine, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("The engine could not be written to " + engine, e);
        }
    }
}
