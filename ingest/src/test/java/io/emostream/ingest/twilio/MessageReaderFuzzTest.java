package io.emostream.ingest.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.emostream.ingest.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Any text frame on a Media Streams WebSocket is one of Twilio's messages or one sentence saying what is wrong
 * with it, never another exception or a hang; a media message carries no more audio than its base64 can hold. The
 * unit tests run the seeds and past findings (in {@code src/test/resources/.../MessageReaderFuzzTestInputs}).
 */
class MessageReaderFuzzTest {
    private static final Set<String> KNOWN_EVENTS = Set.of("connected", "start", "media", "dtmf", "mark", "stop");

    @FuzzTest
    void anyTextIsAMessageOrOneSentence(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        TwilioMessage message;
        try {
            message = MessageReader.read(text);
        } catch (InvalidInputException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
            return;
        }
        if (message instanceof TwilioMessage.Start start) {
            assertThat(start.streamSid()).isNotNull();
            assertThat(start.callSid()).isNotNull();
            assertThat(start.tracks()).isNotEmpty().doesNotContainNull();
            assertThat(start.customParameters()).doesNotContainKey(null).doesNotContainValue(null);
        } else if (message instanceof TwilioMessage.Media media) {
            assertThat(media.track()).isNotNull();
            assertThat(media.chunk()).isNotNegative();
            assertThat(media.timestampMs()).isBetween(0L, MessageReader.MAX_TIMESTAMP_MS);
            assertThat(media.payload().length).isLessThanOrEqualTo(text.length() * 3 / 4);
        } else if (message instanceof TwilioMessage.Other other) {
            assertThat(KNOWN_EVENTS).doesNotContain(other.event());
        }
    }
}
