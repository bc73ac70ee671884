package io.emostream.ingest.twilio;

import io.emostream.ingest.InvalidInputException;
import io.emostream.schema.SpeakerRole;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * How the {@code /twilio} endpoint takes Twilio Media Streams.
 *
 * @param authToken    the Twilio account's auth token: every stream's {@code X-Twilio-Signature} is checked with it;
 *                     null to check none (only for a port nobody else can reach)
 * @param publicUrl    the URL exactly as Twilio was told to connect to it ({@code <Stream url="…">}), which is what
 *                     Twilio signs, e.g. {@code wss://ingest.example.com/twilio}; null to rebuild it from the request
 *                     (scheme, {@code Host} header, path), which is only right when Twilio reaches this port directly:
 *                     behind a TLS-terminating proxy or a changed path, set it
 * @param inboundRole  the role of the inbound track (the caller), channel 0
 * @param outboundRole the role of the outbound track (what Twilio plays to the caller: the agent), channel 1
 */
public record TwilioSettings(String authToken, String publicUrl, SpeakerRole inboundRole, SpeakerRole outboundRole) {

    public TwilioSettings {
        if (authToken != null && authToken.isBlank()) {
            throw new InvalidInputException(
                    "the Twilio auth token is empty; give the account's auth token from the Twilio console");
        }
        if (publicUrl != null) {
            requireStreamUrl(publicUrl);
        }
        if (inboundRole == null || outboundRole == null) {
            throw new IllegalArgumentException("both Twilio tracks need a role");
        }
    }

    /** No signature check, the URL rebuilt from each request, the caller a customer and the other party an agent. */
    public static TwilioSettings defaults() {
        return new TwilioSettings(null, null, SpeakerRole.CUSTOMER, SpeakerRole.AGENT);
    }

    public TwilioSettings withAuthToken(String authToken) {
        return new TwilioSettings(authToken, publicUrl, inboundRole, outboundRole);
    }

    public TwilioSettings withPublicUrl(String publicUrl) {
        return new TwilioSettings(authToken, publicUrl, inboundRole, outboundRole);
    }

    public TwilioSettings withRoles(SpeakerRole inboundRole, SpeakerRole outboundRole) {
        return new TwilioSettings(authToken, publicUrl, inboundRole, outboundRole);
    }

    @Override
    public String toString() {
        return "TwilioSettings[authToken=" + (authToken == null ? "none" : "set") + ", publicUrl=" + publicUrl
                + ", inboundRole=" + inboundRole + ", outboundRole=" + outboundRole + "]";
    }

    /** Twilio connects only to {@code wss://} URLs and carries no query string on them. */
    private static void requireStreamUrl(String url) {
        String problem;
        try {
            URI uri = new URI(url);
            problem = !"wss".equals(uri.getScheme()) && !"ws".equals(uri.getScheme()) ? "does not start with wss://"
                    : uri.getHost() == null ? "names no host"
                    : uri.getRawQuery() != null || uri.getRawFragment() != null ? "has a query string, which Twilio does not send"
                    : null;
        } catch (URISyntaxException e) {
            problem = "is not a URL";
        }
        if (problem != null) {
            throw new InvalidInputException("the Twilio public URL '" + url + "' " + problem
                    + "; give the URL of the TwiML <Stream url=\"wss://HOST/twilio\">");
        }
    }
}
