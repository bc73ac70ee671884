package io.emostream.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emostream.job.model.onnx.ModelCard;
import io.emostream.job.model.tensorrt.EngineBuild;
import io.emostream.job.model.tensorrt.EngineProfile;
import io.emostream.job.model.tensorrt.ShapeRange;
import io.emostream.job.model.tensorrt.TensorRt;
import io.emostream.job.model.tensorrt.TensorRtLibraries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "build-engine", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a TensorRT engine from your ONNX speech-emotion model, for --model tensorrt:DIR.",
            "Writes DIR/model.engine and DIR/model-card.json (the ONNX model's card, naming the engine and its"
                + " limits). Needs an NVIDIA GPU with TensorRT 10.15 and CUDA 13, and builds for that GPU: run it on"
                + " the kind of GPU, with the TensorRT version, that will serve the engine. Exit status: 0 when built,"
                + " 1 when TensorRT could not build it, 2 for bad usage or a machine without TensorRT or GPU."},
        footer = {"", "Example:", "  bin/emotion build-engine --onnx models/ser/model.onnx --out models/ser-trt --fp16 --profile batch=1:8:32,seconds=1:8:30"})
final class BuildEngineCommand implements Callable<Integer> {
    static final String ENGINE_FILE = "model.engine";

    @Option(names = "--onnx", required = true, paramLabel = "MODEL.onnx", description = "The ONNX model, as onnx:DIR runs it.")
    Path onnx;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where model.engine and model-card.json go.")
    Path out;

    @Option(names = "--card", paramLabel = "model-card.json",
            description = "The ONNX model's card (default: model-card.json beside the ONNX file).")
    Path card;

    @Option(names = "--fp16", description = "Allow half-precision kernels: faster, scores within about 1e-2. Default: float32 throughout.")
    boolean fp16;

    @Option(names = "--profile", paramLabel = "batch=MIN:OPT:MAX,seconds=MIN:OPT:MAX",
            description = {"Batch sizes and seconds of audio the engine takes, tuned for OPT (default from the card:",
                "batch=1:B:B,seconds=0.25:4:S, B its maxBatchSize, S its maxSeconds)."})
    String profile;

    @Option(names = "--contexts", defaultValue = "2", paramLabel = "N",
            description = "Subtasks per GPU that run the engine at once, one optimisation profile each (default 2); more take turns.")
    int contexts;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(onnx)) {
            throw usage("--onnx: " + onnx + " does not exist; give the ONNX model file.");
        }
        Path cardFile = card != null ? card : onnx.toAbsolutePath().resolveSibling(ModelCard.FILE_NAME);
        if (!cardFile.getFileName().toString().equals(ModelCard.FILE_NAME) || !Files.isRegularFile(cardFile)) {
            throw usage("--card: " + cardFile + " is not a " + ModelCard.FILE_NAME + "; give the ONNX model's card (see"
                    + " inference-job/README.md, \"Your own model\").");
        }
        ModelCard onnxCard;
        EngineProfile shapes;
        try {
            onnxCard = ModelCard.read(cardFile.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw usage("--card: " + e.getMessage());
        }
        if (onnxCard.logMel() != null) {
            throw usage("--card: " + cardFile + " describes log-mel input, which tensorrt:DIR does not take yet; run the"
                    + " model with onnx:DIR and \"provider\": \"tensorrt\" (ONNX Runtime's TensorRT execution provider) instead.");
        }
        if (out.toAbsolutePath().normalize().equals(cardFile.toAbsolutePath().getParent().normalize())) {
            throw usage("--out: " + out + " holds the ONNX model's own card, which the engine's card would replace; choose"
                    + " another folder.");
        }
        try {
            shapes = profile == null ? EngineProfile.defaults(onnxCard) : EngineProfile.parse(profile, onnxCard);
        } catch (IllegalArgumentException e) {
            throw usage("--profile: " + e.getMessage() + ".");
        }
        if (contexts < 1 || contexts > 16) {
            throw usage("--contexts must be between 1 and 16, not " + contexts + ".");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw usage("--out: " + out + " cannot be created (" + e.getMessage() + "); choose a writable folder.");
        }
        TensorRt tensorRt;
        try {
            tensorRt = TensorRtLibraries.load("Building a TensorRT engine", ", the kind of GPU the engine will serve on");
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("build-engine: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }

        Map<String, ShapeRange> inputs = new LinkedHashMap<>();
        inputs.put(onnxCard.input(), shapes.shapes());
        if (onnxCard.mask() != null) {
            inputs.put(onnxCard.mask(), shapes.shapes());
        }
        Path engine = out.resolve(ENGINE_FILE);
        long started = System.nanoTime();
        try {
            tensorRt.build(new EngineBuild(onnx, engine, inputs, contexts, fp16));
        } catch (IllegalArgumentException e) {
            throw new EmotionCli.UserException(e.getMessage(), e);
        }
        writeCard(cardFile, shapes, tensorRt.version());
        spec.commandLine().getOut().printf(Locale.ROOT, "Built %s (%.1f MB, TensorRT %s, %s, %s, %d context%s) from %s in %.0f s;"
                        + " run it with --model tensorrt:%s%n", engine, Files.size(engine) / 1e6, tensorRt.version(),
                fp16 ? "fp16" : "float32", shapes, contexts, contexts == 1 ? "" : "s", onnx,
                (System.nanoTime() - started) / 1e9, out);
        return 0;
    }

    /** The ONNX model's card, naming the engine, with the limits it was built for and how it was built. */
    private void writeCard(Path cardFile, EngineProfile shapes, String version) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode written = (ObjectNode) json.readTree(cardFile.toFile());
        written.put("engine", ENGINE_FILE);
        if (written.hasNonNull("file") && !Files.isRegularFile(out.resolve(written.get("file").asText()))) {
            // The ONNX file stays where it is; a "file" the directory does not hold would break onnx:DIR on it.
            written.remove("file");
        }
        (written.get("input") instanceof ObjectNode input ? input : written.putObject("input")).put("maxSeconds", shapes.maxSeconds());
        written.put("maxBatchSize", shapes.maxBatch());
        written.putObject("tensorrt").put("builtFrom", onnx.toAbsolutePath().toString()).put("version", version)
                .put("precision", fp16 ? "fp16" : "float32").put("profile", shapes.toString()).put("contexts", contexts);
        json.writerWithDefaultPrettyPrinter().writeValue(out.resolve(ModelCard.FILE_NAME).toFile(), written);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
