package io.emostream.job.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.emostream.job.EmotionModels;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.testkit.TinySerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card's execution provider. The CPU build of ONNX Runtime (this project's default) has no GPU provider, so there
 * a card asking for CUDA or TensorRT must be refused with the sentence that says how to get one; a build made with
 * -Ponnxruntime-gpu has both, and there the same card must run and score as the CPU does. Which of the two this build
 * is comes from ONNX Runtime itself.
 */
class ExecutionProviderTest {
    private static Path modelDir(Path dir, String provider) throws Exception {
        Files.createDirectories(dir);
        TinySerModel.write(dir.resolve("model.onnx"), new float[] {1f, -1f, 0.5f}, new float[] {0f, 0.2f, -0.1f}, null, false);
        Files.writeString(dir.resolve(ModelCard.FILE_NAME), """
                {"name": "tiny", "file": "model.onnx",
                 "input": {"kind": "waveform", "name": "waveform"},
                 "labels": ["neutral", "happy", "sad"]%s}
                """.formatted(provider == null ? "" : ", \"provider\": " + provider));
        return dir;
    }

    private static Map<String, Double> scores(Path modelDir) throws Exception {
        float[] audio = new float[16_000];
        Arrays.fill(audio, 0.5f);
        try (EmotionModel model = EmotionModels.create("onnx:" + modelDir)) {
            model.open();
            return model.estimate(List.of(new ModelInput("u", audio, List.of(), LexicalEvidence.NONE, null))).get(0).scores();
        }
    }

    @Test
    void theCpuIsTheDefaultAndCanBeNamedEitherWay(@TempDir Path dir) throws Exception {
        Map<String, Double> byDefault = scores(modelDir(dir.resolve("default"), null));

        assertThat(ModelCard.read(dir.resolve("default")).provider()).isEqualTo(ExecutionProvider.CPU);
        assertThat(scores(modelDir(dir.resolve("named"), "\"cpu\""))).isEqualTo(byDefault);
        assertThat(scores(modelDir(dir.resolve("object"), "{\"name\": \"cpu\"}"))).isEqualTo(byDefault);
    }

    @Test
    void cudaAndTensorRtRunWhereThisBuildHasThemAndAreRefusedInOneSentenceWhereItHasNot(@TempDir Path dir) throws Exception {
        Map<String, Double> cpu = scores(modelDir(dir.resolve("cpu"), null));
        String available = OrtEnvironment.getAvailableProviders().stream().map(Enum::name).collect(Collectors.joining(", "));
        Path cuda = modelDir(dir.resolve("cuda"), "{\"name\": \"cuda\", \"device\": 0}");
        Path tensorRt = modelDir(dir.resolve("tensorrt"), "{\"name\": \"tensorrt\", \"fp16\": true, \"engineCache\": \"engines\"}");

        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            scores(cuda).forEach((label, p) -> assertThat(p).as(label).isCloseTo(cpu.get(label), within(1e-5)));
        } else {
            assertThatThrownBy(() -> scores(cuda)).hasMessage(cuda.resolve(ModelCard.FILE_NAME) + " asks for the CUDA"
                    + " execution provider, but this ONNX Runtime build has no CUDA (only " + available + "); build the"
                    + " job with -Ponnxruntime-gpu for a machine with CUDA 12 and cuDNN 9, or set \"provider\": \"cpu\".");
        }
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.TENSOR_RT)) {
            // fp16 inside TensorRT: agreement to three decimals
            scores(tensorRt).forEach((label, p) -> assertThat(p).as(label).isCloseTo(cpu.get(label), within(1e-3)));
            assertThat(tensorRt.resolve("engines")).isDirectory();
        } else {
            assertThatThrownBy(() -> scores(tensorRt)).hasMessage(tensorRt.resolve(ModelCard.FILE_NAME) + " asks for"
                    + " the TensorRT execution provider, but this ONNX Runtime build has no TensorRT (only " + available
                    + "); build the job with -Ponnxruntime-gpu for a machine with CUDA 12 and cuDNN 9 and TensorRT 10,"
                    + " or set \"provider\": \"cpu\".");
        }
    }

    @Test
    void aProviderTheCardCannotMeanIsRefusedWhenTheCardIsRead(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {"\"gpu\"", "provider.name is one of cpu, cuda, tensorrt, not 'gpu'."},
            {"{\"name\": \"cuda\", \"fp16\": true}", "provider.fp16 applies to tensorrt only; remove it or set name tensorrt."},
            {"{\"name\": \"cuda\", \"device\": -1}", "provider.device is a CUDA device id, 0 or above, got -1."},
            {"{\"name\": \"cpu\", \"device\": 1}", "provider.device applies to cuda and tensorrt only; remove it."},
            {"{\"name\": \"tensorrt\", \"workspace\": 1}", "provider.workspace is not a provider field; they are name,"
                    + " device, fp16 and engineCache."},
            {"{\"name\": \"tensorrt\", \"device\": \"0\"}", "provider.device must be a whole number, got \"0\"."},
        };
        for (String[] c : cases) {
            Path modelDir = modelDir(dir, c[0]);
            assertThatThrownBy(() -> EmotionModels.check("onnx:" + modelDir)).as(c[0])
                    .hasMessage(modelDir.resolve(ModelCard.FILE_NAME) + ": " + c[1]);
        }
        Path modelDir = modelDir(dir, "42");
        assertThatThrownBy(() -> EmotionModels.check("onnx:" + modelDir)).hasMessageStartingWith(
                modelDir.resolve(ModelCard.FILE_NAME) + ": provider is \"cpu\", \"cuda\", \"tensorrt\" or an object");
    }
}
