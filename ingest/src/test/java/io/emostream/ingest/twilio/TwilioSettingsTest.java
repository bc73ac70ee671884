package io.emostream.ingest.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.InvalidInputException;
import io.emostream.schema.SpeakerRole;
import org.junit.jupiter.api.Test;

class TwilioSettingsTest {
    @Test
    void defaultsCheckNoSignatureAndTakeTheCallerAsTheCustomer() {
        TwilioSettings defaults = TwilioSettings.defaults();

        assertThat(defaults.authToken()).isNull();
        assertThat(defaults.publicUrl()).isNull();
        assertThat(defaults.inboundRole()).isEqualTo(SpeakerRole.CUSTOMER);
        assertThat(defaults.outboundRole()).isEqualTo(SpeakerRole.AGENT);
    }

    @Test
    void theAuthTokenIsNeverPrinted() {
        assertThat(TwilioSettings.defaults().withAuthToken("s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void thePublicUrlMustBeAStreamUrl() {
        assertThat(TwilioSettings.defaults().withPublicUrl("wss://ingest.example.com/twilio").publicUrl())
                .isEqualTo("wss://ingest.example.com/twilio");
        assertThatThrownBy(() -> TwilioSettings.defaults().withPublicUrl("https://ingest.example.com/twilio"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the Twilio public URL 'https://ingest.example.com/twilio' does not start with wss://; "
                        + "give the URL of the TwiML <Stream url=\"wss://HOST/twilio\">");
        assertThatThrownBy(() -> TwilioSettings.defaults().withPublicUrl("wss://ingest.example.com/twilio?key=1"))
                .hasMessageContaining("has a query string, which Twilio does not send");
        assertThatThrownBy(() -> TwilioSettings.defaults().withAuthToken(" "))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the Twilio auth token is empty; give the account's auth token from the Twilio console");
    }
}
