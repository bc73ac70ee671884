package io.emostream.ingest.audiohook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the HTTP message signature (draft-ietf-httpbis-message-signatures, hmac-sha256) that Genesys puts on an
 * AudioHook connection request when the integration has a client secret: {@code Signature-Input} names the covered
 * components and the parameters ({@code keyid} = the API key, {@code nonce}, {@code created}, {@code expires}),
 * {@code Signature} holds the HMAC, keyed with the base64-decoded client secret, over the signature base. Plain Java:
 * the request comes in as a header lookup.
 */
final class SignatureCheck {
    /** Components every AudioHook signature must cover. */
    static final List<String> REQUIRED = List.of("@request-target", "@authority", "audiohook-organization-id",
            "audiohook-session-id", "audiohook-correlation-id", "x-api-key");
    /** Clock difference between Genesys and us that is tolerated, in seconds. */
    static final long CLOCK_SKEW_S = 5;

    /** What was signed: the parameters a caller checks further (the nonce against replays). */
    record Signed(String keyId, String nonce, long created, long expires) {
    }

    private SignatureCheck() {
    }

    /**
     * @param header        a request header's value by lower-case name, or null
     * @param requestTarget the request's path and query, as sent
     * @param secret        the client secret, decoded
     * @param maxAgeS       oldest {@code created} accepted, in seconds before {@code nowS}
     * @return what was signed
     * @throws IllegalArgumentException with one sentence saying why the signature is not acceptable
     */
    static Signed verify(Function<String, String> header, String requestTarget, byte[] secret, long nowS, long maxAgeS) {
        String inputField = header.apply("signature-input");
        String signatureField = header.apply("signature");
        if (inputField == null || signatureField == null) {
            throw new IllegalArgumentException("the request is not signed (no Signature-Input or Signature header),"
                    + " but a client secret is configured");
        }
        Map<String, String> inputs = dictionary(inputField);
        Map<String, String> signatures = dictionary(signatureField);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("the Signature-Input header is empty");
        }
        String label = inputs.keySet().iterator().next();
        String signatureParams = inputs.get(label);
        String signatureValue = signatures.get(label);
        if (signatureValue == null || !signatureValue.startsWith(":") || !signatureValue.endsWith(":")
                || signatureValue.length() < 2) {
            throw new IllegalArgumentException("the Signature header has no byte sequence for signature '" + label + "'");
        }
        int close = signatureParams.indexOf(')');
        if (!signatureParams.startsWith("(") || close < 0) {
            throw new IllegalArgumentException("the Signature-Input header's covered components are not a list");
        }
        List<String> components = quotedStrings(signatureParams.substring(1, close));
        Map<String, String> params = parameters(signatureParams.substring(close + 1));
        for (String required : REQUIRED) {
            if (!components.contains(required)) {
                throw new IllegalArgumentException("the signature does not cover " + required);
            }
        }
        String alg = params.getOrDefault("alg", "hmac-sha256");
        if (!alg.equals("hmac-sha256")) {
            throw new IllegalArgumentException("signature algorithm " + alg + " is not supported (only hmac-sha256)");
        }
        long created = number(params, "created");
        long expires = params.containsKey("expires") ? number(params, "expires") : Long.MAX_VALUE;
        if (created > nowS + CLOCK_SKEW_S) {
            throw new IllegalArgumentException("the signature was created in the future (check the server's clock)");
        }
        if (expires < nowS - CLOCK_SKEW_S || created + maxAgeS < nowS - CLOCK_SKEW_S) {
            throw new IllegalArgumentException("the signature has expired");
        }
        String nonce = params.get("nonce");
        if (nonce == null || nonce.isEmpty()) {
            throw new IllegalArgumentException("the signature has no nonce");
        }

        StringBuilder base = new StringBuilder();
        for (String component : components) {
            String value = component.equals("@request-target") ? requestTarget
                    : component.equals("@authority") ? header.apply("host")
                    : component.startsWith("@") ? null
                    : header.apply(component);
            if (value == null) {
                throw new IllegalArgumentException("the signed component " + component + " is missing from the request");
            }
            base.append('"').append(component).append("\": ").append(value.strip()).append('\n');
        }
        base.append("\"@signature-params\": ").append(signatureParams);
        byte[] expected = hmacSha256(secret, base.toString());
        byte[] offered;
        try {
            offered = Base64.getDecoder().decode(signatureValue.substring(1, signatureValue.length() - 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Signature header's value is not base64");
        }
        if (!MessageDigest.isEqual(expected, offered)) {
            throw new IllegalArgumentException("the signature does not match (check the client secret)");
        }
        return new Signed(params.get("keyid"), nonce, created, expires);
    }

    static byte[] hmacSha256(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // HMAC pads a short key with zeros, so an empty secret is the all-zero key.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** A structured-field dictionary's members as raw text, in order: label=value, separated by top-level commas. */
    static Map<String, String> dictionary(String field) {
        Map<String, String> members = new LinkedHashMap<>();
        for (String member : splitTopLevel(field, ',')) {
            int eq = member.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("the header value '" + abbreviate(field) + "' is not a dictionary");
            }
            members.putIfAbsent(member.substring(0, eq).strip(), member.substring(eq + 1).strip());
        }
        return members;
    }

    private static Map<String, String> parameters(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String param : splitTopLevel(text, ';')) {
            if (param.isBlank()) {
                continue;
            }
            int eq = param.indexOf('=');
            String key = (eq < 0 ? param : param.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : param.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            params.put(key, value);
        }
        return params;
    }

    private static List<String> quotedStrings(String text) {
        List<String> strings = new ArrayList<>();
        for (String item : text.strip().split("\\s+")) {
            if (item.isEmpty()) {
                continue;
            }
            if (item.length() < 2 || !item.startsWith("\"") || !item.endsWith("\"")) {
                throw new IllegalArgumentException("the covered component " + item + " is not a quoted string");
            }
            strings.add(item.substring(1, item.length() - 1).toLowerCase(Locale.ROOT));
        }
        return strings;
    }

    private static long number(Map<String, String> params, String name) {
        String value = params.get(name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("the signature's '" + name + "' parameter is missing or not a number");
        }
    }

    private static List<String> splitTopLevel(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == separator && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
