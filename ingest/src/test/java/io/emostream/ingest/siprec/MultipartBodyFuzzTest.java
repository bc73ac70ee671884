package io.emostream.ingest.siprec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.emostream.ingest.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Any body of a SIP request, with any Content-Type, is parts whose contents the body holds, or one sentence saying
 * why it cannot be split; never another exception or a hang. An input's first line is the Content-Type header's
 * value (an input without a line break has none), the rest is the body. The unit tests run the seeds and past
 * findings (in {@code src/test/resources/.../MultipartBodyFuzzTestInputs}).
 */
class MultipartBodyFuzzTest {
    @FuzzTest
    void anyBodyIsPartsOrOneSentence(byte[] bytes) {
        int lineBreak = indexOf(bytes, (byte) '\n');
        String contentType = lineBreak < 0 ? null : new String(bytes, 0, lineBreak, StandardCharsets.UTF_8);
        byte[] body = lineBreak < 0 ? bytes : Arrays.copyOfRange(bytes, lineBreak + 1, bytes.length);
        List<MultipartBody.Part> parts;
        try {
            parts = MultipartBody.parse(contentType, body);
        } catch (InvalidInputException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
            return;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        for (MultipartBody.Part part : parts) {
            assertThat(part.contentType()).isNotNull();
            assertThat(part.mediaType()).isNotNull();
            assertThat(text).contains(part.content());
        }
        if (contentType == null || !MultipartBody.mediaTypeOf(contentType).startsWith("multipart/")) {
            assertThat(parts).extracting(MultipartBody.Part::content).isEqualTo(text.isEmpty() ? List.of() : List.of(text));
        } else {
            // Each part follows a delimiter of its own ("--" and a boundary of at least one character).
            assertThat(parts.size() * 3).isLessThanOrEqualTo(text.length());
        }
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
