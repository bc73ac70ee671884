package io.emostream.job.speechlm;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the SpeechLM server is and how the cascade uses it, all in one string so that it travels wherever
 * {@code --model} goes: {@code speechlm:http://gpu-1:8000/v1?model=Qwen/Qwen2-Audio-7B-Instruct&rps=5}. The
 * URL is the server's OpenAI-compatible base ({@code /chat/completions} is added unless it is there already);
 * the query holds the options below. The API key, if the server wants one, is read from the environment
 * variable {@value #API_KEY_VARIABLE} so that it never appears in job graphs or logs.
 *
 * @param endpoint      the chat-completions URL
 * @param model         the served model's name, or null to use the first one the server lists at /models
 * @param policy        which utterances are asked about
 * @param perSecond     requests per second for the whole job, shared evenly by its parallel subtasks
 * @param concurrency   requests in flight at once per subtask; utterances beyond it keep the local result
 * @param timeout       longest an utterance waits for an answer, retries included
 * @param retries       further attempts after a failed one (connection errors, 408, 429 and 5xx)
 * @param backoff       wait before the first retry; doubled before each next one
 * @param breakerFailures  failures in a row that open the circuit
 * @param breakerOpen   how long an open circuit sends nothing
 * @param maxSeconds    audio beyond this is not sent (Qwen2-Audio reads at most 30 s)
 */
public record SpeechLmSettings(URI endpoint, String model, AskPolicy policy, double perSecond, int concurrency,
                               Duration timeout, int retries, Duration backoff, int breakerFailures,
                               Duration breakerOpen, double maxSeconds) implements Serializable {
    public static final String PREFIX = "speechlm:";
    public static final String API_KEY_VARIABLE = "EMOSTREAM_SPEECHLM_API_KEY";

    private static final List<String> OPTIONS = List.of("model", "ask", "confidence-below", "sample", "rps",
            "concurrency", "timeout", "retries", "backoff", "breaker", "breaker-open", "max-seconds");

    public SpeechLmSettings {
        if (!(perSecond > 0) || concurrency < 1 || retries < 0 || breakerFailures < 1 || !(maxSeconds > 0)
                || timeout.isNegative() || timeout.isZero() || backoff.isNegative() || breakerOpen.isNegative()) {
            throw new IllegalArgumentException("SpeechLM settings need rps > 0, concurrency >= 1, retries >= 0,"
                    + " breaker >= 1, max-seconds > 0 and a positive timeout");
        }
    }

    /**
     * Reads {@code speechlm:URL?options}. Alone, the SpeechLM is asked about every utterance; behind a local model
     * ({@code cascade}), about the non-neutral, low-confidence and alerting ones. Every mistake is one sentence
     * naming the option.
     */
    public static SpeechLmSettings parse(String spec, boolean cascade) {
        if (!spec.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a SpeechLM is named speechlm:URL, not '" + spec + "'");
        }
        String text = spec.substring(PREFIX.length());
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL (" + e.getReason() + "); write speechlm:"
                    + "http://HOST:PORT/v1, the server's OpenAI-compatible base URL.");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("The SpeechLM URL '" + text + "' needs http:// or https:// and a host,"
                    + " e.g. speechlm:http://gpu-1:8000/v1.");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("The SpeechLM URL names a user and password, which would then appear in every"
                    + " event; leave them out and put the API key in the environment variable " + API_KEY_VARIABLE + ".");
        }
        Map<String, String> options = query(uri);
        for (String name : options.keySet()) {
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("Unknown SpeechLM option '" + name + "' in " + spec + "; known: "
                        + String.join(", ", OPTIONS) + ".");
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        if (!path.endsWith("/chat/completions")) {
            path = path + "/chat/completions";
        }
        URI endpoint = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
        return new SpeechLmSettings(endpoint, options.get("model"), policy(options, cascade),
                number(options, "rps", 5), (int) number(options, "concurrency", 8),
                duration(options, "timeout", Duration.ofSeconds(10)), (int) number(options, "retries", 2),
                duration(options, "backoff", Duration.ofMillis(200)), (int) number(options, "breaker", 5),
                duration(options, "breaker-open", Duration.ofSeconds(30)), number(options, "max-seconds", 30));
    }

    /**
     * The id events name this SpeechLM by: the served model's name and the server, e.g.
     * speechlm:qwen2-audio@gpu-1:8000; the server alone while the model's name is not known.
     */
    public String id(String servedModel) {
        return PREFIX + (servedModel == null ? "" : servedModel + "@") + endpoint.getRawAuthority();
    }

    /** Most samples at 16 kHz sent for one utterance. */
    public int maxSamples() {
        return (int) Math.round(maxSeconds * 16_000);
    }

    private static AskPolicy policy(Map<String, String> options, boolean cascade) {
        String ask = options.getOrDefault("ask", cascade ? "non-neutral,low-confidence,alerting" : AskPolicy.ALL);
        boolean all = false;
        boolean nonNeutral = false;
        boolean lowConfidence = false;
        boolean alerting = false;
        for (String rule : ask.split(",")) {
            switch (rule.trim().toLowerCase(Locale.ROOT)) {
                case AskPolicy.ALL -> all = true;
                case AskPolicy.NON_NEUTRAL -> nonNeutral = true;
                case AskPolicy.LOW_CONFIDENCE -> lowConfidence = true;
                case AskPolicy.ALERTING -> alerting = true;
                case "none", "" -> { }
                default -> throw new IllegalArgumentException("Unknown SpeechLM ask rule '" + rule.trim() + "'; use a"
                        + " comma-separated list of all, non-neutral, low-confidence, alerting, or none (then only"
                        + " sample=… picks utterances).");
            }
        }
        if (!lowConfidence && options.containsKey("confidence-below")) {
            throw new IllegalArgumentException("The SpeechLM option confidence-below needs low-confidence among the ask"
                    + " rules (ask=" + ask + "); add it, or leave confidence-below out.");
        }
        double below = lowConfidence ? number(options, "confidence-below", 0.5) : 0;
        return new AskPolicy(all, nonNeutral, below, alerting, number(options, "sample", 0));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> options = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return options;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            options.put(name, value);
        }
        return options;
    }

    private static double number(Map<String, String> options, String name, double fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The SpeechLM option " + name + "=" + value + " is not a number.");
        }
    }

    /** 800ms, 10s, or a bare number of milliseconds. */
    private static Duration duration(Map<String, String> options, String name, Duration fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
            }
            return Duration.ofMillis(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The SpeechLM option " + name + "=" + value + " is not a duration;"
                    + " write e.g. 800ms or 10s.");
        }
    }
}
