package io.emostream.ingest.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TwilioSignatureTest {
    private static final String URL = "wss://ingest.example.com/twilio";

    @Test
    void signsTheUrlAloneAsTwiliosOwnValidatorDoes() {
        // From twilio-java's RequestValidatorTest: a request with no parameters besides those in its URL.
        String url = "https://mycompany.com/myapp.php?bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

        assertThat(TwilioSignature.of("12345", url)).isEqualTo("y77kIzt2vzLz71DgmJGsen2scGs=");
        assertThat(TwilioSignature.matches("12345", url, "y77kIzt2vzLz71DgmJGsen2scGs=")).isTrue();
    }

    @Test
    void aSignatureMatchesOnlyItsUrlAndToken() {
        String signature = TwilioSignature.of("token-1", URL);

        assertThat(TwilioSignature.matches("token-1", URL, signature)).isTrue();
        assertThat(TwilioSignature.matches("token-2", URL, signature)).isFalse();
        assertThat(TwilioSignature.matches("token-1", "wss://ingest.example.com/other", signature)).isFalse();
        assertThat(TwilioSignature.matches("token-1", "ws://ingest.example.com/twilio", signature)).isFalse();
        assertThat(TwilioSignature.matches("token-1", URL, null)).isFalse();
        assertThat(TwilioSignature.matches("token-1", URL, "")).isFalse();
    }

    @Test
    void theDefaultPortMayBeWrittenOrLeftOut() {
        String withPort = "wss://ingest.example.com:443/twilio";

        assertThat(TwilioSignature.matches("t", URL, TwilioSignature.of("t", withPort))).isTrue();
        assertThat(TwilioSignature.matches("t", withPort, TwilioSignature.of("t", URL))).isTrue();
        assertThat(TwilioSignature.matches("t", "wss://ingest.example.com:8443/twilio", TwilioSignature.of("t", URL))).isFalse();
        assertThat(TwilioSignature.matches("t", "ws://127.0.0.1:80/twilio", TwilioSignature.of("t", "ws://127.0.0.1/twilio"))).isTrue();
    }
}
