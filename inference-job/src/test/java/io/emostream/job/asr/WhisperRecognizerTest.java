package io.emostream.job.asr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.testkit.TinyWhisperModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * whisper.cpp through the bundled JNI natives, with constructed models ({@link TinyWhisperModel}): no trained
 * Whisper weights can be fetched here, so these tests cover loading, decoding and error handling, not accuracy.
 */
class WhisperRecognizerTest {

    @Test
    void transcribesWithTheModelItWasGiven(@TempDir Path dir) throws Exception {
        Path ridiculous = TinyWhisperModel.write(dir.resolve("a.bin"), List.of("This", " is", " ridiculous"));
        Path thanks = TinyWhisperModel.write(dir.resolve("b.bin"), List.of("Thanks", " so", " much"));

        assertThat(transcribeOnce(ridiculous, tone(1.5))).isEqualTo("This is ridiculous");
        assertThat(transcribeOnce(thanks, tone(1.5))).isEqualTo("Thanks so much");
    }

    @Test
    void recognisersOnSeveralThreadsShareOneModel(@TempDir Path dir) throws Exception {
        Path file = TinyWhisperModel.write(dir.resolve("m.bin"), List.of("Cancel", " it"));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (WhisperModel model = WhisperModel.load(file)) {
            List<WhisperRecognizer> recognizers = List.of(model.newRecognizer(), model.newRecognizer());
            List<Future<String>> transcripts = recognizers.stream()
                    .map(recognizer -> threads.submit(() -> recognizer.transcribe(tone(3)) + "|" + recognizer.transcribe(tone(0.5))))
                    .toList();
            for (Future<String> transcript : transcripts) {
                assertThat(transcript.get()).isEqualTo("Cancel it|Cancel it");
            }
            recognizers.forEach(WhisperRecognizer::close);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aMissingModelFileIsNamedWithWhatToDo(@TempDir Path dir) {
        Path missing = dir.resolve("ggml-base.en.bin");

        assertThatThrownBy(() -> WhisperModel.load(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The whisper model file " + missing + " does not exist; download a ggml model (for example"
                        + " ggml-base.en.bin from the whisper.cpp project's model page) and give its path as whisper:PATH.");
    }

    @Test
    void aFileThatIsNotAModelOrIsCutShortIsRefusedBeforeWhisperSeesIt(@TempDir Path dir) throws Exception {
        Path notAModel = Files.write(dir.resolve("notes.bin"), "these are not weights".getBytes());
        Path model = TinyWhisperModel.write(dir.resolve("whole.bin"), List.of("Hi"));
        Path cutShort = Files.write(dir.resolve("cut.bin"), Arrays.copyOf(Files.readAllBytes(model), 4096));

        assertThatThrownBy(() -> WhisperModel.load(notAModel)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(notAModel + " is not a whisper.cpp ggml model (it does not start with 'ggml')");
        assertThatThrownBy(() -> WhisperModel.load(cutShort)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The whisper model file " + cutShort + " is incomplete: it holds 4096 bytes, less than its"
                        + " header says the model needs; download it again.");
        assertThatThrownBy(() -> WhisperModel.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The whisper model file " + dir + " is not a readable file");
    }

    @Test
    void settingsNameTheModelFileAndRefuseAnEmptyOne() {
        TranscribeUtterances.Settings off = TranscribeUtterances.Settings.off();

        assertThat(off.withRecognizer("whisper:/models/ggml-small.en.bin").whisperModel())
                .contains(Path.of("/models/ggml-small.en.bin"));
        assertThat(off.withRecognizer("sphinx").whisperModel()).isEmpty();
        assertThatThrownBy(() -> off.withRecognizer("whisper:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown speech recogniser 'whisper:'; use none, sphinx, or whisper:PATH to a whisper.cpp ggml model file.");
    }

    private static String transcribeOnce(Path file, float[] audio) throws Exception {
        try (WhisperModel model = WhisperModel.load(file); WhisperRecognizer recognizer = model.newRecognizer()) {
            return recognizer.transcribe(audio);
        }
    }

    private static float[] tone(double seconds) {
        float[] samples = new float[(int) (seconds * 16_000)];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / 16_000.0));
        }
        return samples;
    }
}
