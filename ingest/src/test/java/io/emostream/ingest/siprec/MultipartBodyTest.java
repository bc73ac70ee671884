package io.emostream.ingest.siprec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartBodyTest {

    @Test
    void aSiprecBodySplitsIntoItsSdpAndMetadata() {
        String body = "--foobar\r\nContent-Type: application/sdp\r\n\r\nv=0\r\nm=audio 1 RTP/AVP 0\r\n\r\n"
                + "--foobar\r\nContent-Type: application/rs-metadata+xml\r\nContent-Disposition: recording-session\r\n\r\n"
                + "<recording/>\r\n--foobar--\r\n";

        List<MultipartBody.Part> parts = MultipartBody.parse("multipart/mixed;boundary=foobar", bytes(body));

        assertThat(parts).extracting(MultipartBody.Part::mediaType).containsExactly("application/sdp", "application/rs-metadata+xml");
        assertThat(parts.get(0).content()).isEqualTo("v=0\r\nm=audio 1 RTP/AVP 0\r\n");
        assertThat(parts.get(1).content()).isEqualTo("<recording/>");
    }

    @Test
    void aQuotedBoundaryBareLineFeedsAPreambleAndAMissingCloseAreTaken() {
        String body = "preamble\n--b 1\ncontent-type: Application/SDP; charset=utf-8\n\nv=0\n--b 1\nc: application/rs-metadata\n\n<x/>";

        List<MultipartBody.Part> parts = MultipartBody.parse("Multipart/Mixed; boundary=\"b 1\"", bytes(body));

        assertThat(parts).extracting(MultipartBody.Part::mediaType).containsExactly("application/sdp", "application/rs-metadata");
        assertThat(parts).extracting(MultipartBody.Part::content).containsExactly("v=0", "<x/>");
    }

    @Test
    void aSinglePartBodyIsItsOwnPart() {
        assertThat(MultipartBody.parse("application/sdp", bytes("v=0\r\n"))).containsExactly(new MultipartBody.Part("application/sdp", "v=0\r\n"));
        assertThat(MultipartBody.parse(null, new byte[0])).isEmpty();
    }

    @Test
    void aMultipartBodyWithoutItsBoundaryIsRefused() {
        assertThatThrownBy(() -> MultipartBody.parse("multipart/mixed", bytes("x"))).isInstanceOf(InvalidInputException.class)
                .hasMessage("the multipart body's Content-Type has no boundary parameter");
        assertThatThrownBy(() -> MultipartBody.parse("multipart/mixed;boundary=zz", bytes("--yy\r\n\r\nx")))
                .hasMessage("the multipart body does not contain its boundary 'zz'");
    }

    @Test
    void aBoundaryWithAControlCharacterIsShownEscapedInTheOneLine() {
        // Found by MultipartBodyFuzzTest: a CR in the boundary parameter went raw into the message.
        assertThatThrownBy(() -> MultipartBody.parse("multipart/mixed;boundary=f\roobar", bytes("--foobar\r\n\r\nx")))
                .hasMessage("the multipart body does not contain its boundary 'f\\x0Doobar'");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
