package io.emostream.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The decode benchmark on a real file: the audio it counts is exact, and its two CPU figures nest (no timing asserted). */
class DecodeBenchmarkTest {
    private static final Path MEDIA = Path.of(System.getProperty("emostream.media.fixtures"));

    @Test
    void countsEachRunsAudioAndTheDecodersCpuWithTheDecodingAlonePartOfIt() throws Exception {
        DecodeBenchmark.Result result = DecodeBenchmark.measure(MEDIA.resolve("podcast-mono-16k.flac"), 1, 2);

        assertThat(result.format()).usingRecursiveComparison().ignoringFields("declaredSeconds").isEqualTo(new MediaReader.MediaFormat("flac", 16000, 1, 0, 0));
        assertThat(result.audioSeconds()).isEqualTo(69732 / 16000.0);
        assertThat(result.runs()).hasSize(2).allSatisfy(run -> {
            assertThat(run.audioSeconds()).isEqualTo(69732 / 16000.0);
            assertThat(run.decodeCpuSeconds()).isPositive();
            // The whole process (a JVM's start alone is well over Linux's 10 ms tick) holds the decoding.
            assertThat(run.processCpuSeconds()).isGreaterThan(run.decodeCpuSeconds());
        });
    }
}
