package io.emostream.ingest.twilio;

import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveIngestServer;
import io.emostream.ingest.live.WebSocketRoute;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twilio Media Streams on the live ingest port: Twilio opens one WebSocket per stream at {@code /twilio}, as a TwiML
 * {@code <Start><Stream url="wss://HOST/twilio" track="both_tracks">} tells it, and sends the call's audio as JSON
 * messages ({@link TwilioStreamSocket}). With an auth token configured, an upgrade whose {@code X-Twilio-Signature}
 * does not sign the stream's URL with that token is refused with HTTP 403 before any call is created.
 */
public final class TwilioMediaStreams {
    public static final String PATH = "/twilio";
    private static final Logger LOG = LoggerFactory.getLogger(TwilioMediaStreams.class);

    private TwilioMediaStreams() {
    }

    /** The endpoint, for {@link LiveIngestServer#start(LiveIngestServer.Settings, LiveCalls, java.util.List)}. */
    public static WebSocketRoute route(TwilioSettings settings, LiveCalls calls) {
        String auth = settings.authToken() == null ? "no signature check" : "signature required";
        return new WebSocketRoute(PATH, "Twilio Media Streams; " + auth, (request, response, callback) -> {
            String peer = LiveIngestServer.address(request);
            if (settings.authToken() != null) {
                String url = settings.publicUrl() != null ? settings.publicUrl() : requestUrl(request);
                String signature = request.getHeaders().get(TwilioSignature.HEADER);
                if (!TwilioSignature.matches(settings.authToken(), url, signature)) {
                    LOG.warn("Refused a Twilio stream from {}: {}{}", peer, signature == null
                                    ? "the upgrade request has no " + TwilioSignature.HEADER + " header"
                                    : "its " + TwilioSignature.HEADER + " is not the configured auth token's signature of " + url,
                            signature != null && settings.publicUrl() == null
                                    ? " (behind a proxy, set the Twilio public URL to the TwiML's <Stream url>)" : "");
                    Response.writeError(request, response, callback, 403, TwilioSignature.HEADER
                            + " is missing or does not sign this stream's URL with the configured Twilio auth token.");
                    return null;
                }
            }
            return new TwilioStreamSocket(calls, settings, peer);
        });
    }

    /**
     * The URL the request was made for, as Twilio would have written it: {@code wss://} when this port speaks TLS, the
     * {@code Host} header and the path. Twilio stream URLs carry no query string.
     */
    static String requestUrl(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null) {
            host = request.getHttpURI().getAuthority();
        }
        return (request.isSecure() ? "wss" : "ws") + "://" + host + request.getHttpURI().getPath();
    }
}
