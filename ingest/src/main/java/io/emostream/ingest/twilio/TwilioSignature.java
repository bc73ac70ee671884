package io.emostream.ingest.twilio;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature (https://www.twilio.com/docs/usage/webhooks/webhooks-security): the base64 HMAC-SHA1,
 * keyed with the account's auth token, of the full URL Twilio requested followed by its POST parameters sorted by name.
 * A WebSocket upgrade is a GET with no parameters, so for a media stream it is the HMAC of the {@code wss://} URL alone,
 * sent as {@code X-Twilio-Signature}.
 */
final class TwilioSignature {
    static final String HEADER = "X-Twilio-Signature";

    private TwilioSignature() {
    }

    static String of(String authToken, String url) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    /**
     * Whether {@code signature} signs {@code url}, compared in constant time. Twilio's own validators also accept the URL
     * with its default port (443 for wss) added or removed, because Twilio has signed both forms; so does this.
     */
    static boolean matches(String authToken, String url, String signature) {
        if (signature == null) {
            return false;
        }
        byte[] offered = signature.strip().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String candidate : withAndWithoutDefaultPort(url)) {
            // Every form is checked, so the time taken does not say which one came close.
            match |= MessageDigest.isEqual(offered, of(authToken, candidate).getBytes(StandardCharsets.UTF_8));
        }
        return match;
    }

    private static List<String> withAndWithoutDefaultPort(String url) {
        List<String> forms = new ArrayList<>(List.of(url));
        try {
            URI uri = new URI(url);
            int defaultPort = "wss".equals(uri.getScheme()) || "https".equals(uri.getScheme()) ? 443 : 80;
            if (uri.getHost() == null) {
                return forms;
            }
            if (uri.getPort() == defaultPort) {
                forms.add(withPort(uri, -1));
            } else if (uri.getPort() == -1) {
                forms.add(withPort(uri, defaultPort));
            }
        } catch (URISyntaxException e) {
            // Not a URL: only its exact text can have been signed.
        }
        return forms;
    }

    private static String withPort(URI uri, int port) {
        return uri.getScheme() + "://" + uri.getHost() + (port == -1 ? "" : ":" + port) + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
