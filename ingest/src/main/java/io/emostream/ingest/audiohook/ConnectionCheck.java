package io.emostream.ingest.audiohook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides whether a connection request comes from the configured Genesys integration: the API key, the signature
 * when a client secret is configured, and a nonce not seen before (a replayed request is refused even with a valid
 * signature). Thread-safe.
 */
final class ConnectionCheck {
    private final AudioHookSettings settings;
    private final byte[] secret;
    /** Nonces of accepted signatures, with the epoch second until which each must not come back. */
    private final Map<String, Long> nonces = new LinkedHashMap<>();

    ConnectionCheck(AudioHookSettings settings) {
        this.settings = settings;
        this.secret = settings.secret();
    }

    /** Null when the request may connect, else one sentence saying why not. */
    String refusal(Function<String, String> header, String requestTarget, long nowS) {
        if (!settings.authenticates()) {
            return null;
        }
        String apiKey = header.apply("x-api-key");
        if (apiKey == null || !MessageDigest.isEqual(apiKey.strip().getBytes(StandardCharsets.UTF_8),
                settings.apiKey().getBytes(StandardCharsets.UTF_8))) {
            return "missing or wrong X-API-KEY";
        }
        if (secret == null) {
            return null;
        }
        long maxAgeS = settings.maxSignatureAge().toSeconds();
        SignatureCheck.Signed signed;
        try {
            signed = SignatureCheck.verify(header, requestTarget, secret, nowS, maxAgeS);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!apiKey.strip().equals(signed.keyId())) {
            return "the signature's keyid is not the X-API-KEY";
        }
        synchronized (nonces) {
            nonces.values().removeIf(until -> until < nowS);
            if (nonces.containsKey(signed.nonce())) {
                return "the signature's nonce has been used before (a replayed request)";
            }
            nonces.put(signed.nonce(), nowS + maxAgeS + 2 * SignatureCheck.CLOCK_SKEW_S);
        }
        return null;
    }
}
