package io.emostream.audio.wav;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;

/**
 * Any bytes given to the WAV reader are audio or one sentence saying why not, never another exception, a hang or
 * more audio than the bytes hold. The unit tests run the seeds and past findings (in
 * {@code src/test/resources/.../WavReaderFuzzTestInputs}); {@code bin/fuzz} fuzzes it for a while.
 */
class WavReaderFuzzTest {
    @FuzzTest
    void anyBytesAreAudioOrOneSentence(byte[] bytes) throws Exception {
        WavReader reader;
        try {
            reader = WavReader.open(new ByteArrayInputStream(bytes));
        } catch (WavFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        WavFormat format = reader.format();
        assertThat(format.channels()).isPositive();
        assertThat(format.sampleRate()).isPositive();
        long delivered = 0;
        try {
            for (byte[][] channels = reader.readChannels(1024); channels != null; channels = reader.readChannels(1024)) {
                assertThat(channels.length).isEqualTo(format.channels());
                int frames = channels[0].length / format.encoding().bytesPerSample();
                assertThat(frames).isBetween(1, 1024);
                for (byte[] channel : channels) {
                    assertThat(channel).hasSize(frames * format.encoding().bytesPerSample());
                }
                delivered += frames;
            }
        } catch (WavFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
        }
        assertThat(delivered).isEqualTo(reader.framesRead());
        // No sample comes from nowhere: each one delivered was at least one byte of the input.
        assertThat(delivered * format.channels()).isLessThanOrEqualTo(bytes.length);
        assertThat(reader.warnings()).allSatisfy(warning -> assertThat(warning).isNotBlank().doesNotContain("\n"));
    }
}
