package io.emostream.ingest.audiohook;

import java.time.Duration;
import java.util.Base64;

/**
 * How the {@code /audiohook} endpoint authenticates Genesys Cloud: the AudioHook Monitor integration's API key
 * (sent as {@code X-API-KEY}) and, when the integration has one, its client secret (base64, as Genesys shows it),
 * which makes every connection request carry an HTTP message signature.
 *
 * @param apiKey          required {@code X-API-KEY}, or null to accept any (only on a local interface)
 * @param clientSecret    the client secret in base64, or null when the integration has none
 * @param maxSignatureAge oldest signature accepted; its nonce is remembered this long to refuse replays
 */
public record AudioHookSettings(String apiKey, String clientSecret, Duration maxSignatureAge) {
    public static final String PATH = "/audiohook";

    public AudioHookSettings {
        if (clientSecret != null) {
            try {
                Base64.getDecoder().decode(clientSecret.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the AudioHook client secret is not base64; copy it exactly as"
                        + " Genesys Cloud shows it", e);
            }
            if (apiKey == null) {
                throw new IllegalArgumentException("an AudioHook client secret needs the integration's API key too");
            }
        }
    }

    /** No authentication: for a local interface only. */
    public static AudioHookSettings open() {
        return new AudioHookSettings(null, null, Duration.ofSeconds(60));
    }

    public static AudioHookSettings of(String apiKey, String clientSecret) {
        return new AudioHookSettings(apiKey, clientSecret, Duration.ofSeconds(60));
    }

    public boolean authenticates() {
        return apiKey != null;
    }

    byte[] secret() {
        return clientSecret == null ? null : Base64.getDecoder().decode(clientSecret.strip());
    }

    @Override
    public String toString() {
        return "AudioHookSettings[apiKey=" + (apiKey == null ? "none" : "set") + ", clientSecret="
                + (clientSecret == null ? "none" : "set") + ", maxSignatureAge=" + maxSignatureAge + "]";
    }
}
