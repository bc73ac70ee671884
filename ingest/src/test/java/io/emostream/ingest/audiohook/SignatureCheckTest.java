package io.emostream.ingest.audiohook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signature check on the example request of Genesys's AudioHook documentation. */
class SignatureCheckTest {
    private static final byte[] SECRET = Base64.getDecoder().decode("TXlTdXBlclNlY3JldEtleVRlbGxOby0xITJAMyM0JDU=");
    private static final String TARGET = "/api/v1/voicebiometrics/ws";
    private static final long CREATED = 1641013200L;

    private static Map<String, String> documentedRequest() {
        Map<String, String> headers = new HashMap<>();
        headers.put("host", "audiohook.example.com");
        headers.put("audiohook-organization-id", "d7934305-0972-4844-938e-9060eef73d05");
        headers.put("audiohook-session-id", "30b0e395-84d3-4570-ac13-9a62d8f514c0");
        headers.put("audiohook-correlation-id", "e160e428-53e2-487c-977d-96989bf5c99d");
        headers.put("x-api-key", "SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh");
        headers.put("signature", "sig1=:NZBwyBHRRyRoeLqy1IzOa9VYBuI8TgMFt2GRDkDuJh4=:");
        headers.put("signature-input", "sig1=(\"@request-target\" \"@authority\" \"audiohook-organization-id\""
                + " \"audiohook-session-id\" \"audiohook-correlation-id\" \"x-api-key\");"
                + "keyid=\"SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh\";nonce=\"VGhpc0lzQVVuaXF1ZU5vbmNl\";alg=\"hmac-sha256\";"
                + "created=1641013200;expires=3282026430");
        return headers;
    }

    @Test
    void theDocumentedExampleVerifies() {
        SignatureCheck.Signed signed = SignatureCheck.verify(documentedRequest()::get, TARGET, SECRET, CREATED + 1, 60);

        assertThat(signed.keyId()).isEqualTo("SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh");
        assertThat(signed.nonce()).isEqualTo("VGhpc0lzQVVuaXF1ZU5vbmNl");
    }

    @Test
    void aChangedCoveredHeaderOrTargetOrSecretFails() {
        Map<String, String> tampered = documentedRequest();
        tampered.put("audiohook-session-id", "30b0e395-84d3-4570-ac13-9a62d8f514c1");
        assertThatThrownBy(() -> SignatureCheck.verify(tampered::get, TARGET, SECRET, CREATED + 1, 60))
                .hasMessage("the signature does not match (check the client secret)");
        assertThatThrownBy(() -> SignatureCheck.verify(documentedRequest()::get, TARGET + "x", SECRET, CREATED + 1, 60))
                .hasMessageContaining("does not match");
        byte[] otherSecret = SECRET.clone();
        otherSecret[0]++;
        assertThatThrownBy(() -> SignatureCheck.verify(documentedRequest()::get, TARGET, otherSecret, CREATED + 1, 60))
                .hasMessageContaining("does not match");
    }

    @Test
    void anOldOrFutureSignatureIsRefused() {
        assertThatThrownBy(() -> SignatureCheck.verify(documentedRequest()::get, TARGET, SECRET, CREATED + 120, 60))
                .hasMessage("the signature has expired");
        assertThatThrownBy(() -> SignatureCheck.verify(documentedRequest()::get, TARGET, SECRET, CREATED - 60, 60))
                .hasMessageContaining("in the future");
    }

    @Test
    void aSignatureThatLeavesOutARequiredComponentIsRefused() {
        Map<String, String> headers = documentedRequest();
        headers.put("signature-input", headers.get("signature-input").replace(" \"x-api-key\"", ""));
        assertThatThrownBy(() -> SignatureCheck.verify(headers::get, TARGET, SECRET, CREATED + 1, 60))
                .hasMessage("the signature does not cover x-api-key");
    }

    @Test
    void anUnsignedRequestIsRefusedWhenASecretIsConfigured() {
        Map<String, String> headers = documentedRequest();
        headers.remove("signature");
        assertThatThrownBy(() -> SignatureCheck.verify(headers::get, TARGET, SECRET, CREATED + 1, 60))
                .hasMessageContaining("not signed");
    }
}
