package io.emostream.job.model.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.job.model.onnx.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineProfileTest {

    private static ModelCard card(Path dir) throws Exception {
        Files.write(dir.resolve("model.onnx"), new byte[] {0});
        Files.writeString(dir.resolve(ModelCard.FILE_NAME), """
                {"file": "model.onnx", "input": {"maxSeconds": 30}, "labels": ["a", "b"], "maxBatchSize": 8}
                """);
        return ModelCard.read(dir);
    }

    @Test
    void theDefaultsComeFromTheCard(@TempDir Path dir) throws Exception {
        EngineProfile profile = EngineProfile.defaults(card(dir));

        assertThat(profile).hasToString("batch=1:8:8,seconds=0.25:4:30");
        assertThat(profile.shapes().min()).containsExactly(1, 4_000);
        assertThat(profile.shapes().opt()).containsExactly(8, 64_000);
        assertThat(profile.shapes().max()).containsExactly(8, 480_000);
    }

    @Test
    void eitherPartMayBeGiven(@TempDir Path dir) throws Exception {
        ModelCard card = card(dir);

        assertThat(EngineProfile.parse("batch=1:8:32,seconds=1:8:30", card)).hasToString("batch=1:8:32,seconds=1:8:30");
        assertThat(EngineProfile.parse("seconds=0.5:2.5:12", card)).hasToString("batch=1:8:8,seconds=0.5:2.5:12");
        assertThat(EngineProfile.parse(" batch=4:16:64 ", card).shapes().max()).containsExactly(64, 480_000);
    }

    @Test
    void aWrongProfileIsOneSentence(@TempDir Path dir) throws Exception {
        ModelCard card = card(dir);

        assertThatThrownBy(() -> EngineProfile.parse("batch=8:4:32", card))
                .hasMessage("batch needs whole numbers min:opt:max with 1 <= min <= opt <= max, not 8:4:32");
        assertThatThrownBy(() -> EngineProfile.parse("seconds=0:1:2", card))
                .hasMessage("seconds needs min:opt:max with 0 < min <= opt <= max, not 0:1:2");
        assertThatThrownBy(() -> EngineProfile.parse("batch=1:8", card))
                .hasMessage("'batch=1:8' is not batch=MIN:OPT:MAX or seconds=MIN:OPT:MAX");
        assertThatThrownBy(() -> EngineProfile.parse("length=1:2:3", card))
                .hasMessage("'length=1:2:3' is not batch=MIN:OPT:MAX or seconds=MIN:OPT:MAX");
        assertThatThrownBy(() -> EngineProfile.parse("batch=one:8:32", card))
                .hasMessage("'batch=one:8:32' holds something that is not a number");
        assertThatThrownBy(() -> EngineProfile.parse("seconds=1:2:Infinity", card)).hasMessageStartingWith("seconds needs");
    }
}
