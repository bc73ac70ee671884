package io.emostream.job.model.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.job.EmotionModels;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.job.model.onnx.ModelCard;
import io.emostream.testkit.GpuMachine;
import io.emostream.testkit.TinySerModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loading guard, on whatever machine runs the tests: where TensorRT cannot load (no GPU or no TensorRT, as on CI
 * and most laptops) choosing it is one sentence naming what is missing; where it can, the model opens and runs.
 */
class TensorRtLibrariesTest {

    private static Path modelDir(Path dir, String engineFile) throws IOException {
        TinySerModel.write(dir.resolve("model.onnx"), new float[] {1f, -1f}, new float[] {0f, 0f}, "attention_mask", false);
        Files.writeString(dir.resolve(ModelCard.FILE_NAME), """
                {"name": "tiny", "file": "model.onnx", "engine": "%s",
                 "input": {"name": "waveform", "mask": "attention_mask", "maxSeconds": 4},
                 "labels": ["calm", "tense"], "maxBatchSize": 4}
                """.formatted(engineFile));
        return dir;
    }

    @Test
    void choosingTensorRtIsOneSentenceWhereItCannotLoadAndRunsWhereItCan(@TempDir Path dir) throws Exception {
        Path model = modelDir(dir, "model.engine");
        String name = "tensorrt:" + model;
        if (GpuMachine.hasTensorRt()) {
            TensorRtLibraries.load("this test", "").build(new EngineBuild(model.resolve("model.onnx"), model.resolve("model.engine"),
                    Map.of("waveform", EngineProfile.defaults(ModelCard.read(model)).shapes(),
                            "attention_mask", EngineProfile.defaults(ModelCard.read(model)).shapes()), 1, false));
            try (EmotionModel tensorRt = EmotionModels.create(name)) {
                tensorRt.open();
                float[] audio = new float[16_000];
                Arrays.fill(audio, 0.5f);
                assertThat(tensorRt.estimate(List.of(new ModelInput("u", audio, List.of(), LexicalEvidence.NONE, null))))
                        .singleElement().satisfies(estimate -> assertThat(estimate.label()).isEqualTo("calm"));
            }
            return;
        }
        Files.write(model.resolve("model.engine"), "not an engine; no TensorRT here to build one".getBytes(StandardCharsets.UTF_8));

        String message = catchMessage(() -> EmotionModels.check(name));

        Matcher missing = Pattern.compile(Pattern.quote(name + " needs NVIDIA TensorRT 10.15 and CUDA 13 on this machine, and"
                + " could not load them (") + "(lib[^ ,]+)(, [^,]+,)? not found" + Pattern.quote("); run it on a GPU worker with"
                + " TensorRT installed, or use onnx:" + model + ".")).matcher(message);
        String noGpu = name + " needs an NVIDIA GPU, and CUDA finds none on this machine (";
        if (missing.matches()) {
            assertThat(GpuMachine.findLibrary(missing.group(1))).as("the library the sentence names is really missing").isEmpty();
        } else {
            assertThat(message).startsWith(noGpu).endsWith("); run it on a GPU worker, or use onnx:" + model + ".");
            assertThat(Path.of("/dev/nvidiactl")).as("no GPU, as the sentence says").doesNotExist();
        }
        // Once failed, the presets' classes stay failed and lose the reason: the guard keeps the first one.
        assertThat(catchMessage(() -> EmotionModels.create(name))).isEqualTo(message);
    }

    private static String catchMessage(Runnable action) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("no sentence where TensorRT cannot load");
    }

    @Test
    void theLoadersErrorBecomesTheLibraryAUserCanInstall() {
        UnsatisfiedLinkError driver = new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib");
        driver.initCause(new UnsatisfiedLinkError("/root/.javacpp/cache/cuda-13.1-9.19-1.5.13-linux-x86_64.jar/org/bytedeco/"
                + "cuda/linux-x86_64/libjnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory"));
        ExceptionInInitializerError wrapped = new ExceptionInInitializerError(driver);

        assertThat(TensorRtLibraries.reason(wrapped)).isEqualTo("libcuda.so.1, the NVIDIA driver, not found");
        assertThat(TensorRtLibraries.reason(new UnsatisfiedLinkError("/tmp/libjninvinfer.so: libnvinfer.so.10: cannot open"
                + " shared object file: No such file or directory"))).isEqualTo("libnvinfer.so.10, TensorRT, not found");
        assertThat(TensorRtLibraries.reason(new UnsatisfiedLinkError("/tmp/libjnicudnn.so: libcudnn.so.9: cannot open shared"
                + " object file"))).isEqualTo("libcudnn.so.9, cuDNN 9, not found");
        assertThat(TensorRtLibraries.reason(new UnsatisfiedLinkError("/tmp/libjninvinfer.so: undefined symbol: getInferLibBuildVersion")))
                .isEqualTo("undefined symbol getInferLibBuildVersion: an installed library is not the version the bindings need");
        assertThat(TensorRtLibraries.reason(new UnsatisfiedLinkError("Native Library /root/.javacpp/cache/cuda-13.1-9.19-1.5.13"
                + "-linux-x86_64.jar/org/bytedeco/cuda/linux-x86_64/libjnicudart.so already loaded in another classloader")))
                .isEqualTo("they are loaded by another job's class loader in this JVM; put the org.bytedeco jars in Flink's"
                        + " lib/ (deploy/README.md, GPUs)");
        NoClassDefFoundError absent = new NoClassDefFoundError("org/bytedeco/tensorrt/global/nvinfer");
        absent.initCause(new ClassNotFoundException("org.bytedeco.tensorrt.global.nvinfer"));
        assertThat(TensorRtLibraries.reason(absent)).isEqualTo("the JavaCPP TensorRT bindings, org.bytedeco:tensorrt, are not on the class path");
        assertThat(TensorRtLibraries.reason(new NoClassDefFoundError("org/bytedeco/cuda/global/cudart\nsecond line")))
                .isEqualTo("org/bytedeco/cuda/global/cudart");
    }

    @Test
    void theCardIsCheckedBeforeTensorRtIsLookedFor(@TempDir Path dir) throws Exception {
        Path model = modelDir(dir, "model.onnx");
        Path card = model.resolve(ModelCard.FILE_NAME);

        assertThatThrownBy(() -> EmotionModels.check("tensorrt:" + model)).hasMessage(card + " names the ONNX model "
                + model.resolve("model.onnx") + ", not a TensorRT engine; build one with bin/emotion build-engine --onnx "
                + model.resolve("model.onnx") + " --out DIR, or use onnx:" + model + ".");
        assertThatThrownBy(() -> EmotionModels.check("tensorrt:" + model.resolve("nowhere"))).hasMessage("The model directory "
                + model.resolve("nowhere") + " does not exist; give a directory holding model-card.json and the model file it names.");
        assertThatThrownBy(() -> EmotionModels.check("tensorrt:")).hasMessageStartingWith("unknown emotion model 'tensorrt:'")
                .hasMessageContaining("tensorrt:DIR (a TensorRT engine with its model card, on an NVIDIA GPU)");

        Path logMel = Files.createDirectories(dir.resolve("log-mel"));
        Files.write(logMel.resolve("model.engine"), new byte[] {1});
        Files.writeString(logMel.resolve(ModelCard.FILE_NAME), "{\"engine\": \"model.engine\", \"labels\": [\"calm\", \"tense\"],"
                + " \"input\": {\"kind\": \"log-mel\", \"style\": \"whisper\", \"melBins\": 80, \"layout\": \"mels-first\"}}");
        assertThatThrownBy(() -> EmotionModels.check("tensorrt:" + logMel)).hasMessage(logMel.resolve(ModelCard.FILE_NAME)
                + ": input.kind is log-mel, which tensorrt:DIR does not take yet; run the model with onnx:" + logMel
                + " and \"provider\": \"tensorrt\" (ONNX Runtime's TensorRT execution provider) instead.");
    }

    /**
     * Only {@code model.tensorrt.cuda} may refer to the JavaCPP presets: anything else that did would load (or fail to
     * load) the GPU libraries when the cue or ONNX model runs.
     */
    @Test
    void noClassOutsideTheCudaPackageRefersToThePresets() throws Exception {
        Path classes = Path.of(TensorRtLibraries.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> offenders;
        try (Stream<Path> files = Files.walk(classes)) {
            offenders = files.filter(f -> f.toString().endsWith(".class"))
                    .filter(f -> !classes.relativize(f).toString().startsWith("io/emostream/job/model/tensorrt/cuda/"))
                    .filter(f -> {
                        try {
                            return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains("org/bytedeco");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .map(f -> classes.relativize(f).toString()).toList();
        }
        assertThat(classes.resolve("io/emostream/job/model/tensorrt/cuda/CudaTensorRt.class")).exists();
        assertThat(offenders).isEmpty();
        Class<?> implementation = Class.forName(TensorRtLibraries.IMPLEMENTATION, false, getClass().getClassLoader());
        assertThat(TensorRt.class).isAssignableFrom(implementation);
    }
}
