package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.testkit.GpuMachine;
import io.emostream.testkit.TinySerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** bin/emotion build-engine as a user runs it, on whatever machine runs the tests. */
@Timeout(300)
class BuildEngineCommandTest {
    private static final Path FIXTURES = Path.of(System.getProperty("emostream.fixtures"));

    private static Path onnxModel(Path dir) throws Exception {
        TinySerModel.write(dir.resolve("model.onnx"), new float[] {1f, -1f}, new float[] {0f, 0f}, "attention_mask", false);
        Files.writeString(dir.resolve("model-card.json"), """
                {"name": "tiny", "file": "model.onnx",
                 "input": {"name": "waveform", "mask": "attention_mask", "maxSeconds": 20},
                 "labels": ["calm", "tense"], "maxBatchSize": 8}
                """);
        return dir.resolve("model.onnx");
    }

    @Test
    void itBuildsTheEngineAndItsCardWhereTensorRtRunsAndIsOneSentenceWhereNot(@TempDir Path dir) throws Exception {
        Path onnx = onnxModel(Files.createDirectories(dir.resolve("ser")));
        Path out = dir.resolve("ser-trt");

        EmotionCliTest.Result result = EmotionCliTest.run("build-engine", "--onnx", onnx.toString(), "--out", out.toString(),
                "--profile", "batch=1:4:16,seconds=0.5:4:10");

        if (GpuMachine.hasTensorRt()) {
            assertThat(result.status()).isZero();
            assertThat(result.out()).startsWith("Built " + out.resolve("model.engine")).contains("--model tensorrt:" + out);
            JsonNode card = new ObjectMapper().readTree(out.resolve("model-card.json").toFile());
            assertThat(card.path("engine").asText()).isEqualTo("model.engine");
            assertThat(card.has("file")).as("the ONNX file is not in DIR").isFalse();
            assertThat(card.path("input").path("maxSeconds").asDouble()).isEqualTo(10.0);
            assertThat(card.path("maxBatchSize").asInt()).isEqualTo(16);
            assertThat(card.path("labels").toString()).isEqualTo("[\"calm\",\"tense\"]");
            assertThat(card.path("tensorrt").path("profile").asText()).isEqualTo("batch=1:4:16,seconds=0.5:4:10");

            Path events = dir.resolve("events.jsonl");
            EmotionCliTest.Result analyze = EmotionCliTest.run("analyze", "--model", "tensorrt:" + out, "--out", events.toString(),
                    FIXTURES.resolve("podcast-mono-16k.wav").toString());
            assertThat(analyze.status()).isZero();
            assertThat(Files.readAllLines(events)).isNotEmpty().allSatisfy(line -> assertThat(new ObjectMapper().readTree(line)
                    .path("modelId").asText()).matches("tensorrt:tiny@sha256:[0-9a-f]{12}"));
            return;
        }
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).matches(Pattern.quote("build-engine: Building a TensorRT engine needs NVIDIA TensorRT 10.15 and"
                + " CUDA 13 on this machine, and could not load them (") + "lib[^ ,]+(, [^,]+,)? not found" + Pattern.quote(");"
                + " run it on a GPU worker with TensorRT installed, the kind of GPU the engine will serve on.")
                + System.lineSeparator());
        assertThat(out.resolve("model.engine")).doesNotExist();

        // An engine built elsewhere is refused here the same way, before analyze starts anything.
        Files.write(out.resolve("model.engine"), new byte[] {1, 2, 3});
        Files.writeString(out.resolve("model-card.json"), Files.readString(onnx.resolveSibling("model-card.json"))
                .replace("\"file\": \"model.onnx\"", "\"engine\": \"model.engine\""));
        EmotionCliTest.Result analyze = EmotionCliTest.run("analyze", "--model", "tensorrt:" + out, "--out",
                dir.resolve("events.jsonl").toString(), FIXTURES.resolve("podcast-mono-16k.wav").toString());
        assertThat(analyze.status()).isEqualTo(2);
        assertThat(analyze.err()).startsWith("analyze: --model: tensorrt:" + out + " needs NVIDIA TensorRT 10.15 and CUDA 13 on"
                + " this machine, and could not load them (").contains("; run it on a GPU worker with TensorRT installed, or"
                + " use onnx:" + out + ".");
        assertThat(dir.resolve("events.jsonl")).doesNotExist();
    }

    @Test
    void badOptionsAreNamedBeforeTensorRtIsLookedFor(@TempDir Path dir) throws Exception {
        Path onnx = onnxModel(dir);

        EmotionCliTest.Result missing = EmotionCliTest.run("build-engine", "--onnx", dir.resolve("nope.onnx").toString(),
                "--out", dir.resolve("out").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("build-engine: --onnx: " + dir.resolve("nope.onnx") + " does not exist; give the ONNX model file.");

        EmotionCliTest.Result profile = EmotionCliTest.run("build-engine", "--onnx", onnx.toString(), "--out",
                dir.resolve("out").toString(), "--profile", "batch=8:4:32");
        assertThat(profile.status()).isEqualTo(2);
        assertThat(profile.err()).startsWith("build-engine: --profile: batch needs whole numbers min:opt:max with"
                + " 1 <= min <= opt <= max, not 8:4:32.");

        EmotionCliTest.Result sameFolder = EmotionCliTest.run("build-engine", "--onnx", onnx.toString(), "--out", dir.toString());
        assertThat(sameFolder.status()).isEqualTo(2);
        assertThat(sameFolder.err()).startsWith("build-engine: --out: " + dir + " holds the ONNX model's own card, which the"
                + " engine's card would replace; choose another folder.");

        Path logMel = Files.createDirectories(dir.resolve("log-mel"));
        Files.copy(onnx, logMel.resolve("model.onnx"));
        Files.writeString(logMel.resolve("model-card.json"), "{\"file\": \"model.onnx\", \"labels\": [\"calm\", \"tense\"],"
                + " \"input\": {\"kind\": \"log-mel\", \"style\": \"whisper\", \"melBins\": 80, \"layout\": \"mels-first\"}}");
        EmotionCliTest.Result mel = EmotionCliTest.run("build-engine", "--onnx", logMel.resolve("model.onnx").toString(),
                "--out", dir.resolve("out").toString());
        assertThat(mel.status()).isEqualTo(2);
        assertThat(mel.err()).startsWith("build-engine: --card: " + logMel.resolve("model-card.json") + " describes log-mel input,");

        Files.delete(dir.resolve("model-card.json"));
        EmotionCliTest.Result card = EmotionCliTest.run("build-engine", "--onnx", onnx.toString(), "--out", dir.resolve("out").toString());
        assertThat(card.status()).isEqualTo(2);
        assertThat(card.err()).startsWith("build-engine: --card: " + dir.resolve("model-card.json") + " is not a model-card.json;");
    }
}
