package io.emostream.ingest.siprec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SDP offers as recording clients send them (RFC 7866 §8.1.1's shape) and the answers to them. */
class SdpTest {
    private static final String OFFER = """
            v=0\r
            o=SRS 2890844526 2890844526 IN IP4 198.51.100.1\r
            s=-\r
            c=IN IP4 198.51.100.1\r
            t=0 0\r
            m=audio 12240 RTP/AVP 0 4 8\r
            a=sendonly\r
            a=label:1\r
            m=video 12242 RTP/AVP 31\r
            a=sendonly\r
            a=label:2\r
            m=audio 12260 RTP/AVP 0 4 8\r
            a=sendonly\r
            a=label:3\r
            """;

    @Test
    void eachLabelledSendonlyAudioStreamIsAnsweredRecvonlyOnItsPortAndTheRestRejected() {
        SdpOffer offer = SdpOffer.parse(OFFER);
        MediaPlan plan = MediaPlan.choose(offer);

        assertThat(plan.codec()).isEqualTo(RtpFormat.Codec.PCMU);
        assertThat(plan.lines()).containsExactly(0, 2);
        assertThat(plan.answer(offer, "192.0.2.10", 0, List.of(40000, 40002))).isEqualTo("""
                v=0\r
                o=emostream 40000 0 IN IP4 192.0.2.10\r
                s=emostream recording\r
                c=IN IP4 192.0.2.10\r
                t=0 0\r
                m=audio 40000 RTP/AVP 0\r
                a=rtpmap:0 PCMU/8000\r
                a=label:1\r
                a=recvonly\r
                m=video 0 RTP/AVP 31\r
                a=label:2\r
                a=inactive\r
                m=audio 40002 RTP/AVP 0\r
                a=rtpmap:0 PCMU/8000\r
                a=label:3\r
                a=recvonly\r
                """);
    }

    @Test
    void l16AtSixteenKilohertzIsTakenWithItsDynamicPayloadType() {
        SdpOffer offer = SdpOffer.parse("v=0\nm=audio 5000 RTP/AVP 96 0\na=rtpmap:96 l16/16000\na=label:a\na=sendonly\n"
                + "m=audio 5002 RTP/AVP 97 0\na=rtpmap:97 L16/16000/1\na=label:b\na=sendonly\n");

        MediaPlan plan = MediaPlan.choose(offer);

        assertThat(plan.formats()).containsExactly(new RtpFormat(96, RtpFormat.Codec.L16, 16000),
                new RtpFormat(97, RtpFormat.Codec.L16, 16000));
    }

    @Test
    void theCodecMostStreamsOfferIsChosenAndAStreamWithoutItIsRejected() {
        SdpOffer offer = SdpOffer.parse("v=0\nm=audio 5000 RTP/AVP 0 8\na=sendonly\nm=audio 5002 RTP/AVP 8\na=sendonly\n"
                + "m=audio 5004 RTP/AVP 18\na=rtpmap:18 G729/8000\na=sendonly\n");

        MediaPlan plan = MediaPlan.choose(offer);

        assertThat(plan.codec()).isEqualTo(RtpFormat.Codec.PCMA);
        assertThat(plan.lines()).containsExactly(0, 1);
        assertThat(plan.answer(offer, "::1", 1, List.of(40000, 40002)))
                .contains("c=IN IP6 ::1\r\n", "m=audio 40002 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=recvonly\r\n",
                        "m=audio 0 RTP/AVP 18\r\na=inactive\r\n");
    }

    @Test
    void anOfferWithoutACodecWeTakeHasNoPlan() {
        assertThat(MediaPlan.choose(SdpOffer.parse("v=0\nm=audio 5000 RTP/AVP 18 9\na=sendonly\n"))).isNull();
        assertThat(MediaPlan.choose(SdpOffer.parse("v=0\nm=audio 5000 RTP/SAVP 0\na=sendonly\n")))
                .as("SRTP cannot be recorded without its keys").isNull();
        assertThat(MediaPlan.choose(SdpOffer.parse("v=0\nm=audio 5000 RTP/AVP 0\na=recvonly\n")))
                .as("a stream sent to the client, not by it").isNull();
    }

    @Test
    void aLaterOfferThatHoldsAStreamIsAnsweredInactiveAndStopsItsFormat() {
        SdpOffer offer = SdpOffer.parse(OFFER);
        MediaPlan plan = MediaPlan.choose(offer);

        SdpOffer held = SdpOffer.parse(OFFER.replaceFirst("a=sendonly", "a=inactive"));

        assertThat(plan.formatsIn(held)).containsExactly(null, new RtpFormat(0, RtpFormat.Codec.PCMU, 8000));
        assertThat(plan.answer(held, "192.0.2.10", 1, List.of(40000, 40002)))
                .contains("m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=label:1\r\na=inactive\r\n");
    }

    @Test
    void aLaterOfferWithPortZeroIsAnsweredWithPortZero() {
        SdpOffer offer = SdpOffer.parse(OFFER);
        MediaPlan plan = MediaPlan.choose(offer);

        SdpOffer removed = SdpOffer.parse(OFFER.replace("m=audio 12240", "m=audio 0"));

        assertThat(plan.formatsIn(removed)).containsExactly(null, new RtpFormat(0, RtpFormat.Codec.PCMU, 8000));
        assertThat(plan.answer(removed, "192.0.2.10", 1, List.of(40000, 40002)))
                .contains("m=audio 0 RTP/AVP 0\r\na=label:1\r\na=inactive\r\n", "m=audio 40002 RTP/AVP 0\r\n");
    }

    @Test
    void aSessionLevelDirectionAppliesToEveryMediaLine() {
        SdpOffer offer = SdpOffer.parse("v=0\na=sendonly\nm=audio 5000 RTP/AVP 0\nm=audio 5002 RTP/AVP 0\na=inactive\n");

        assertThat(offer.media()).extracting(SdpOffer.Media::direction).containsExactly("sendonly", "inactive");
    }

    @Test
    void aBareCarriageReturnInABadMediaLineIsShownEscapedInTheOneLine() {
        // Found by SdpOfferFuzzTest: a lone CR ends no SDP line, and went raw into the message.
        assertThatThrownBy(() -> SdpOffer.parse("v=0\nm=audio!1\rm=audio 5002 RTP/AVP 0\n"))
                .hasMessage("the SDP media line 'm=audio!1\\x0Dm=audio 5002 RTP/AVP 0' has no valid port");
    }

    @Test
    void aPortOfOnlyASlashIsNoValidPort() {
        // Found by SdpOfferFuzzTest: "/" split into no pieces at all, and the first was read (ArrayIndexOutOfBounds).
        assertThatThrownBy(() -> SdpOffer.parse("v=0\nm=audio / RTP/AVP 0\n")).isInstanceOf(InvalidInputException.class)
                .hasMessage("the SDP media line 'm=audio / RTP/AVP 0' has no valid port");
    }

    @Test
    void anSdpWithoutMediaOrWithABadMediaLineIsRefused() {
        assertThatThrownBy(() -> SdpOffer.parse("v=0\ns=-\n")).isInstanceOf(InvalidInputException.class)
                .hasMessage("the SDP offer has no media line");
        assertThatThrownBy(() -> SdpOffer.parse("v=0\nm=audio many RTP/AVP 0\n"))
                .hasMessage("the SDP media line 'm=audio many RTP/AVP 0' has no valid port");
    }
}
