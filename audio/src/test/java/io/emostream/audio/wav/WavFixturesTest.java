package io.emostream.audio.wav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads every real WAV file in the shared fixtures folder and checks the reader agrees with its manifest,
 * {@code fixtures.tsv}, whose values were computed by an independent parser when the fixtures were made.
 */
class WavFixturesTest {

    private static final int FRAMES_PER_READ = 4096;

    @TestFactory
    Stream<DynamicTest> readerAgreesWithTheFixtureManifest() throws IOException {
        String folder = System.getProperty("emostream.fixtures");
        assertThat(folder).as("system property emostream.fixtures, which the Maven build sets").isNotNull();
        Path fixtures = Path.of(folder);
        Path manifest = fixtures.resolve("fixtures.tsv");
        assertThat(manifest).as("fixture manifest").exists();

        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        List<String> columns = Arrays.asList(lines.get(0).split("\t"));
        return lines.stream().skip(1).filter(line -> !line.isBlank()).map(line -> {
            String[] fields = line.split("\t");
            Fixture fixture = new Fixture(columns, fields);
            return DynamicTest.dynamicTest(fixture.file(), () -> check(fixtures.resolve(fixture.file()), fixture));
        });
    }

    private static void check(Path file, Fixture expected) throws IOException {
        if (expected.value("expect").equals("reject")) {
            assertThatThrownBy(() -> readAll(file))
                    .isInstanceOf(WavFormatException.class)
                    .message().isNotBlank().doesNotContain("\n");
            return;
        }
        try (InputStream in = Files.newInputStream(file); WavReader reader = WavReader.open(in)) {
            WavFormat format = reader.format();
            assertThat(format.sampleRate()).isEqualTo(expected.number("sampleRate"));
            assertThat(format.channels()).isEqualTo(expected.number("channels"));
            assertThat(format.sourceFormat()).isEqualTo(expected.value("sourceFormat"));
            assertThat(format.declaredDataBytes()).isEqualTo(expected.number("declaredDataBytes"));

            long frames = 0;
            for (byte[][] block; (block = reader.readChannels(FRAMES_PER_READ)) != null; ) {
                assertThat(block).hasNumberOfRows(format.channels());
                for (byte[] channel : block) {
                    assertThat(channel).hasSize(block[0].length);
                }
                frames += block[0].length / format.encoding().bytesPerSample();
            }
            assertThat(frames).isEqualTo(expected.number("framesPerChannel")).isEqualTo(reader.framesRead());
            if (expected.value("expect").equals("warn")) {
                assertThat(reader.warnings()).isNotEmpty();
            } else {
                assertThat(reader.warnings()).isEmpty();
            }
        }
    }

    private static void readAll(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); WavReader reader = WavReader.open(in)) {
            while (reader.readChannels(FRAMES_PER_READ) != null) {
                // Only whether reading fails matters here.
            }
        }
    }

    /** One manifest row, looked up by column name. */
    private record Fixture(List<String> columns, String[] fields) {

        String file() {
            return value("file");
        }

        String value(String column) {
            return fields[columns.indexOf(column)];
        }

        long number(String column) {
            return Long.parseLong(value(column));
        }
    }
}
