package io.emostream.ingest.siprec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.emostream.ingest.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Any SDP body of an INVITE is an offer of media lines, each with a known direction and payload types that are
 * formats we take or nothing, or one sentence saying why it is not an offer; never another exception or a hang.
 * The unit tests run the seeds and past findings (in {@code src/test/resources/.../SdpOfferFuzzTestInputs}).
 */
class SdpOfferFuzzTest {
    private static final Set<String> DIRECTIONS = Set.of("sendonly", "recvonly", "sendrecv", "inactive");

    @FuzzTest
    void anyTextIsAnOfferOrOneSentence(byte[] bytes) {
        SdpOffer offer;
        try {
            offer = SdpOffer.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (InvalidInputException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
            return;
        }
        assertThat(offer.media()).isNotEmpty();
        for (SdpOffer.Media media : offer.media()) {
            assertThat(media.type()).isNotNull();
            assertThat(media.protocol()).isNotNull();
            assertThat(DIRECTIONS).contains(media.direction());
            media.isRecordableAudio();
            for (int payloadType : media.formats()) {
                RtpFormat format = media.formatOf(payloadType);
                if (format != null) {
                    assertThat(format.payloadType()).isEqualTo(payloadType);
                    assertThat(format.codec()).isNotNull();
                    assertThat(media.format(format.codec(), format.sampleRate())).isNotNull();
                }
            }
        }
    }
}
