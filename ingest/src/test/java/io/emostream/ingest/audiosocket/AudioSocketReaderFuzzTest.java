package io.emostream.ingest.audiosocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Any bytes on an AudioSocket connection are a run of messages, each exactly the bytes its header frames, ending
 * where the stream ends, inside a message (EOF) or at one sentence saying how the peer broke the protocol (read no
 * further than that message's header). Never another exception, a hang or a payload the bytes do not hold. The unit
 * tests run the seeds and past findings (in {@code src/test/resources/.../AudioSocketReaderFuzzTestInputs}).
 */
class AudioSocketReaderFuzzTest {
    /** Small enough that the fuzzer meets the limit, as a connection meets {@code maxMessageBytes}. */
    private static final int MAX_MESSAGE_BYTES = 1024;

    @FuzzTest
    void anyBytesAreMessagesOrOneSentence(byte[] bytes) throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        AudioSocketReader reader = new AudioSocketReader(in, MAX_MESSAGE_BYTES);
        while (true) {
            int start = bytes.length - in.available();
            AudioSocketMessage message;
            try {
                message = reader.next();
            } catch (AudioSocketProtocolException refused) {
                assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
                assertThat(bytes.length - in.available()).as("only the header is read").isEqualTo(start + 3);
                return;
            } catch (EOFException endedInside) {
                assertThat(in.available()).isZero();
                return;
            }
            if (message == null) {
                assertThat(start).isEqualTo(bytes.length);
                return;
            }
            int end = bytes.length - in.available();
            int length = ((bytes[start + 1] & 0xff) << 8) | (bytes[start + 2] & 0xff);
            assertThat(end - start).isEqualTo(3 + length).isLessThanOrEqualTo(MAX_MESSAGE_BYTES);
            byte[] payload = Arrays.copyOfRange(bytes, start + 3, end);
            int kind = bytes[start] & 0xff;
            if (message instanceof AudioSocketMessage.Hangup) {
                assertThat(kind).isEqualTo(AudioSocketMessage.KIND_HANGUP);
            } else if (message instanceof AudioSocketMessage.Id id) {
                assertThat(kind).isEqualTo(AudioSocketMessage.KIND_UUID);
                ByteBuffer uuid = ByteBuffer.allocate(16).putLong(id.uuid().getMostSignificantBits())
                        .putLong(id.uuid().getLeastSignificantBits());
                assertThat(uuid.array()).isEqualTo(payload);
            } else if (message instanceof AudioSocketMessage.Dtmf dtmf) {
                assertThat(kind).isEqualTo(AudioSocketMessage.KIND_DTMF);
                assertThat(dtmf.digit()).isEqualTo(length == 0 ? '?' : (char) (payload[0] & 0xff));
            } else if (message instanceof AudioSocketMessage.Error error) {
                assertThat(kind).isEqualTo(AudioSocketMessage.KIND_ERROR);
                assertThat(error.code()).isEqualTo(length == 0 ? null : payload[0] & 0xff);
                assertThat(error.describe()).isNotBlank().doesNotContain("\n");
            } else {
                AudioSocketMessage.Audio audio = (AudioSocketMessage.Audio) message;
                assertThat(audio.kind()).isEqualTo(kind);
                assertThat(audio.sampleRate()).isEqualTo(AudioSocketMessage.AUDIO_RATES.get(kind));
                assertThat(audio.samples()).isEqualTo(payload);
            }
        }
    }
}
