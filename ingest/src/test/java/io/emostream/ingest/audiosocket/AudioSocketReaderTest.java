package io.emostream.ingest.audiosocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The frame parser on byte sequences from the AudioSocket protocol description and Asterisk's res_audiosocket. */
class AudioSocketReaderTest {
    private static AudioSocketReader reader(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new AudioSocketReader(new ByteArrayInputStream(b), 1024);
    }

    private static int[] concat(int[] head, int[] tail) {
        int[] all = new int[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void theHangupOfTheProtocolPageIsThreeZeroBytes() throws Exception {
        AudioSocketReader reader = reader(0x00, 0x00, 0x00);

        assertThat(reader.next()).isInstanceOf(AudioSocketMessage.Hangup.class);
        assertThat(reader.next()).as("the stream ends between messages").isNull();
    }

    @Test
    void theUuidMessageCarriesTheSixteenBytesOfTheDialplansUuid() throws Exception {
        // What ast_audiosocket_init writes for the protocol page's example UUID 40325ec2-5efd-4bd3-805f-53576e581d13.
        AudioSocketReader reader = reader(0x01, 0x00, 0x10,
                0x40, 0x32, 0x5e, 0xc2, 0x5e, 0xfd, 0x4b, 0xd3, 0x80, 0x5f, 0x53, 0x57, 0x6e, 0x58, 0x1d, 0x13);

        assertThat(reader.next()).isEqualTo(new AudioSocketMessage.Id(UUID.fromString("40325ec2-5efd-4bd3-805f-53576e581d13")));
    }

    @Test
    void aDtmfMessageIsOneAsciiDigit() throws Exception {
        assertThat(reader(0x03, 0x00, 0x01, '#').next()).isEqualTo(new AudioSocketMessage.Dtmf('#'));
    }

    @Test
    void slinAudioIsSixteenBitLittleEndianAtEightKilohertz() throws Exception {
        AudioSocketMessage message = reader(0x10, 0x00, 0x04, 0x01, 0x00, 0xff, 0x7f).next();

        assertThat(message).isInstanceOfSatisfying(AudioSocketMessage.Audio.class, audio -> {
            assertThat(audio.kind()).isEqualTo(0x10);
            assertThat(audio.sampleRate()).isEqualTo(8000);
            assertThat(audio.samples()).containsExactly(0x01, 0x00, 0xff, 0x7f);
        });
    }

    @Test
    void theNewerAudioKindsNameTheirRatesAsCurrentAsteriskDefinesThem() throws Exception {
        int[][] kindsAndRates = {{0x11, 12000}, {0x12, 16000}, {0x13, 24000}, {0x14, 32000}, {0x15, 44100},
                {0x16, 48000}, {0x17, 96000}, {0x18, 192000}};
        for (int[] kindAndRate : kindsAndRates) {
            AudioSocketMessage message = reader(kindAndRate[0], 0x00, 0x02, 0x00, 0x00).next();
            assertThat(((AudioSocketMessage.Audio) message).sampleRate()).as("kind 0x%02x", kindAndRate[0])
                    .isEqualTo(kindAndRate[1]);
        }
    }

    @Test
    void anErrorMessageCarriesAnOptionalBitPackedCode() throws Exception {
        AudioSocketReader reader = reader(0xff, 0x00, 0x01, 0x03, 0xff, 0x00, 0x00);

        AudioSocketMessage.Error coded = (AudioSocketMessage.Error) reader.next();
        assertThat(coded.code()).isEqualTo(3);
        assertThat(coded.describe()).isEqualTo("code 0x03: the calling party hung up, a frame could not be forwarded");
        assertThat(((AudioSocketMessage.Error) reader.next()).describe()).isEqualTo("no error code");
    }

    @Test
    void messagesFollowOneAnotherOnTheStream() throws Exception {
        int[] uuid = {0x01, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        int[] audio = {0x10, 0x00, 0x02, 0x34, 0x12};
        AudioSocketReader reader = reader(concat(concat(uuid, audio), new int[] {0x00, 0x00, 0x00}));

        assertThat(reader.next()).isInstanceOf(AudioSocketMessage.Id.class);
        assertThat(reader.next()).isInstanceOf(AudioSocketMessage.Audio.class);
        assertThat(reader.next()).isInstanceOf(AudioSocketMessage.Hangup.class);
        assertThat(reader.next()).isNull();
    }

    @Test
    void anUnknownKindIsAProtocolError() {
        // 0x02 is a fork's DTMF kind; Asterisk's is 0x03.
        assertThatThrownBy(() -> reader(0x02, 0x00, 0x06, 1, '5', 0, 0, 0, 0).next())
                .isInstanceOf(AudioSocketProtocolException.class)
                .hasMessage("message kind 0x02 is not an AudioSocket kind");
    }

    @Test
    void aMessageOverTheLimitIsRefusedBeforeItsPayloadIsRead() {
        assertThatThrownBy(() -> reader(0x10, 0x04, 0x00).next())
                .isInstanceOf(AudioSocketProtocolException.class)
                .hasMessage("a message of kind 0x10 with 1024 payload bytes is over the limit of 1024 bytes per message");
    }

    @Test
    void aUuidMessageOfAnotherLengthIsAProtocolError() {
        assertThatThrownBy(() -> reader(0x01, 0x00, 0x04, 1, 2, 3, 4).next())
                .isInstanceOf(AudioSocketProtocolException.class)
                .hasMessage("the UUID message carries 4 bytes instead of 16");
    }

    @Test
    void aStreamEndingInsideAMessageIsNotACleanEnd() {
        assertThatThrownBy(() -> reader(0x10, 0x00).next()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reader(0x10, 0x00, 0x04, 0x01, 0x00).next()).isInstanceOf(EOFException.class);
    }
}
