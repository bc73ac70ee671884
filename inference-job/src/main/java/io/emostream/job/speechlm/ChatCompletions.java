package io.emostream.job.speechlm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emostream.schema.Cue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The OpenAI chat-completions dialect spoken by vLLM, TensorRT-LLM's trtllm-serve and others: the question as a
 * request body (the measured cues in the prompt, the audio as a base64 WAV {@code input_audio} part), and the
 * answer read back and checked. EmotionThinker's finding is built in: SpeechLMs hear prosody poorly, so the
 * prompt states the measured pitch, loudness and pace against the speaker's usual.
 *
 * <p>Where the server supports structured output, the request also carries the answer's JSON schema as OpenAI's
 * {@code response_format} of type {@code json_schema}, the one form both vLLM and trtllm-serve accept, so that the
 * server's decoder cannot write a label outside the set; the prompt asks for the same object either way.
 */
public final class ChatCompletions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RATIONALE_CHARS = 600;
    private static final int MAX_TRANSCRIPT_CHARS = 4000;
    /** The schema's name in {@code response_format}; servers name it in their logs. */
    static final String SCHEMA_NAME = "emotion_answer";
    /** Words that a server's refusal of {@code response_format} names, in vLLM's and trtllm-serve's errors. */
    private static final List<String> STRUCTURED_OUTPUT_WORDS = List.of("response_format", "json_schema", "guided",
            "structured", "grammar");

    /** An answer that cannot be used, with one sentence saying why. */
    public static final class InvalidAnswer extends Exception {
        InvalidAnswer(String message) {
            super(message);
        }
    }

    private ChatCompletions() {
    }

    static String instructions(List<String> labels) {
        return "You analyse the emotion of one utterance of speech. Listen to the audio and reply with one JSON object"
                + " and nothing else: {\"transcript\": \"what was said\", \"label\": \"one of " + String.join(", ", labels)
                + "\", \"rationale\": \"one or two sentences naming the words and the way of speaking behind the label\"}."
                + " The pitch, loudness and pace below were measured on the audio against this speaker's usual; rely on"
                + " them rather than on your own impression of prosody, and do not claim a way of speaking they contradict.";
    }

    /**
     * The request body for one question. Audio beyond {@code maxSamples} is not sent.
     *
     * @param structured ask for the answer under {@link #answerSchema}; false for servers that refuse it
     */
    public static String request(Question question, String model, int maxSamples, boolean structured) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("temperature", 0);
        body.put("max_tokens", 400);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", instructions(question.labels()));
        ArrayNode content = messages.addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "text").put("text", describe(question));
        ObjectNode audio = content.addObject().put("type", "input_audio").putObject("input_audio");
        audio.put("data", Base64.getEncoder().encodeToString(wav(question.samples(), maxSamples)));
        audio.put("format", "wav");
        if (structured) {
            ObjectNode format = body.putObject("response_format").put("type", "json_schema");
            format.putObject("json_schema").put("name", SCHEMA_NAME).put("strict", true)
                    .set("schema", answerSchema(question.labels()));
        }
        return body.toString();
    }

    /**
     * The answer the prompt asks for as a JSON schema: transcript, label and rationale, all required and nothing
     * else (OpenAI's strict mode wants both), the label one of {@code labels} exactly.
     */
    static ObjectNode answerSchema(List<String> labels) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("transcript").put("type", "string");
        ArrayNode allowed = properties.putObject("label").put("type", "string").putArray("enum");
        labels.forEach(allowed::add);
        properties.putObject("rationale").put("type", "string");
        schema.putArray("required").add("transcript").add("label").add("rationale");
        schema.put("additionalProperties", false);
        return schema;
    }

    /**
     * Whether a server's answer to a request with {@code response_format} says it cannot serve that field: HTTP 400
     * or 422 (a validation error) naming it, json_schema, guided decoding, structured output or a grammar.
     */
    static boolean refusesStructuredOutput(int status, String responseBody) {
        if (status != 400 && status != 422 || responseBody == null) {
            return false;
        }
        String text = responseBody.toLowerCase(Locale.ROOT);
        return STRUCTURED_OUTPUT_WORDS.stream().anyMatch(text::contains);
    }

    /** The measured cues in words, and the recogniser's transcript when there is one. */
    static String describe(Question question) {
        StringBuilder text = new StringBuilder("Measured on this utterance:");
        for (Cue cue : question.cues()) {
            text.append("\n- ").append(cue.getName()).append(": ")
                    .append(String.format(Locale.ROOT, "%.2f", cue.getValue()));
            if (!cue.getUnit().isEmpty()) {
                text.append(' ').append(cue.getUnit());
            }
            if (cue.getZScore() != null && Double.isFinite(cue.getZScore())) {
                text.append(", ").append(relative(cue.getZScore()))
                        .append(String.format(Locale.ROOT, " (z = %+.1f)", cue.getZScore()));
            }
        }
        if (question.transcript() != null && !question.transcript().isBlank()) {
            text.append("\nAn automatic transcript, which may contain errors: \"").append(question.transcript()).append('"');
        }
        return text.toString();
    }

    private static String relative(double z) {
        double size = Math.abs(z);
        if (size < 0.5) {
            return "close to this speaker's usual";
        }
        String side = z > 0 ? "above" : "below";
        return (size >= 1.5 ? "well " : "") + side + " this speaker's usual";
    }

    /** 16-bit PCM WAV at 16 kHz, mono. */
    static byte[] wav(float[] samples, int maxSamples) {
        int n = Math.min(samples.length, maxSamples);
        ByteBuffer out = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 2 * n)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            out.putShort((short) Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767f));
        }
        return out.array();
    }

    /**
     * The answer in a chat-completions response body, checked: a JSON object (a code fence or words around it are
     * tolerated) with a label from {@code labels} (any letter case) and a non-empty rationale.
     */
    public static Answer read(String responseBody, List<String> labels) throws InvalidAnswer {
        JsonNode response;
        try {
            response = JSON.readTree(responseBody);
        } catch (JsonProcessingException e) {
            throw new InvalidAnswer("the server's response is not JSON");
        }
        JsonNode content = response.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new InvalidAnswer("the response has no choices[0].message.content");
        }
        JsonNode answer = firstObject(content.asText());
        String label = text(answer, "label");
        if (label.isBlank()) {
            throw new InvalidAnswer("the answer has no label");
        }
        String chosen = labels.stream().filter(l -> l.equalsIgnoreCase(label.trim())).findFirst().orElseThrow(() ->
                new InvalidAnswer("the label '" + clip(label, 40) + "' is not one of " + labels));
        String rationale = text(answer, "rationale").trim();
        if (rationale.isEmpty()) {
            throw new InvalidAnswer("the answer has no rationale");
        }
        return new Answer(clip(text(answer, "transcript").trim(), MAX_TRANSCRIPT_CHARS), chosen, clip(rationale, MAX_RATIONALE_CHARS));
    }

    private static JsonNode firstObject(String content) throws InvalidAnswer {
        int start = content.indexOf('{');
        if (start < 0) {
            throw new InvalidAnswer("the answer is not a JSON object: '" + clip(content, 80) + "'");
        }
        try (JsonParser parser = JSON.getFactory().createParser(content.substring(start))) {
            JsonNode node = parser.readValueAsTree();
            if (node == null || !node.isObject()) {
                throw new InvalidAnswer("the answer is not a JSON object: '" + clip(content, 80) + "'");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidAnswer("the answer is not valid JSON: '" + clip(content, 80) + "'");
        }
    }

    private static String text(JsonNode answer, String field) {
        JsonNode value = answer.path(field);
        return value.isTextual() ? value.asText() : "";
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
