package io.emostream.ingest.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.emostream.audio.AudioLimits;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.chunk.CallIds;
import java.nio.charset.StandardCharsets;

/**
 * Any text a client sends as its first WebSocket message is a call the ingest can take or one sentence saying why
 * not, never another exception or a hang. The unit tests run the seeds and past findings (in
 * {@code src/test/resources/.../StartMessageFuzzTestInputs}).
 */
class StartMessageFuzzTest {
    @FuzzTest
    void anyTextIsACallOrOneSentence(byte[] bytes) {
        CallFormat format;
        try {
            format = StartMessage.parse(new String(bytes, StandardCharsets.UTF_8), "198.51.100.7:40123");
        } catch (InvalidInputException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
            return;
        }
        assertThat(CallIds.problemWith(format.callId())).isNull();
        assertThat(format.sampleRate()).isBetween(AudioLimits.MIN_SAMPLE_RATE, AudioLimits.MAX_SAMPLE_RATE);
        assertThat(format.channels()).isBetween(1, AudioLimits.MAX_CHANNELS);
        assertThat(format.roles()).hasSize(format.channels()).doesNotContainNull();
        assertThat(format.encoding()).isNotNull();
        assertThat(format.source()).startsWith("ws:");
        assertThat(format.identity().speakers().size()).isLessThanOrEqualTo(format.channels());
    }
}
