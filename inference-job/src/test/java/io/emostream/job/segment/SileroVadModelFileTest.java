package io.emostream.job.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The bundled model is the file MODEL.md describes, so a damaged or swapped model fails here, not in production. */
class SileroVadModelFileTest {

    @Test
    void bundledModelMatchesItsRecordedChecksum() throws IOException, NoSuchAlgorithmException {
        String recorded;
        try (InputStream in = resource(SileroVad.MODEL_RESOURCE + ".sha256")) {
            // sha256sum output: the hex digest, two spaces, the file name.
            recorded = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+")[0];
        }

        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long size;
        try (InputStream in = new DigestInputStream(resource(SileroVad.MODEL_RESOURCE), sha256)) {
            size = in.transferTo(OutputStream.nullOutputStream());
        }

        assertThat(size).as("model size in bytes").isEqualTo(2_327_524L);
        assertThat(HexFormat.of().formatHex(sha256.digest())).as("SHA-256 of the bundled model").isEqualTo(recorded);
    }

    private static InputStream resource(String name) {
        InputStream in = SileroVad.class.getResourceAsStream(name);
        assertThat(in).as("classpath resource %s beside SileroVad", name).isNotNull();
        return in;
    }
}
