package io.emostream.job.model.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;

/**
 * What emostream needs to know about a speech-emotion model in a directory: {@code model-card.json} beside the
 * model file. Read once; every mistake in it is one sentence naming the card and the field.
 *
 * <pre>{@code
 * {
 *   "name": "my-ser",
 *   "file": "model.onnx",
 *   "input":  {"kind": "waveform", "name": "input_values", "mask": "attention_mask", "maxSeconds": 30},
 *   "output": {"name": "logits", "scores": "logits"},
 *   "dimensions": {"name": "dims", "arousal": 0, "valence": 1},
 *   "labels": ["neutral", "happy", "sad", "angry"],
 *   "maxBatchSize": 8
 * }
 * }</pre>
 *
 * @param input      name of the 16 kHz mono waveform input, shaped [batch, samples], float32 in [-1, 1]
 * @param mask       name of the attention-mask input ([batch, samples], 1 for audio, 0 for padding), or null: then
 *                   utterances of different lengths are never padded into one batch
 * @param maxSeconds longer utterances are cut to this many seconds
 * @param output     name of the class-score output, shaped [batch, labels]
 * @param logits     whether that output is logits (softmax applied here) rather than probabilities
 * @param dimensions name of an optional [batch, n] output holding arousal and valence, or null
 */
public record ModelCard(Path directory, String name, Path file, String input, String mask, double maxSeconds,
                        String output, boolean logits, String dimensions, int arousalIndex, int valenceIndex,
                        List<String> labels, int maxBatchSize) {
    public static final String FILE_NAME = "model-card.json";

    /** Reads and checks {@code DIR/model-card.json}; the model file itself is checked when it is loaded. */
    public static ModelCard read(Path directory) {
        return read(directory, "file");
    }

    /**
     * As {@link #read(Path)}, with the model file named by {@code modelFileField} when the card has it, else by
     * "file": a TensorRT engine is {@code "engine"}, so one card can describe both the ONNX model and its engine.
     */
    public static ModelCard read(Path directory, String modelFileField) {
        Path cardFile = directory.resolve(FILE_NAME);
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("The model directory " + directory + " does not exist; give a directory"
                    + " holding " + FILE_NAME + " and the model file it names.");
        }
        if (!Files.isRegularFile(cardFile)) {
            throw new IllegalArgumentException(directory + " has no " + FILE_NAME + "; write one that describes the"
                    + " model (see inference-job/README.md, \"Your own model\").");
        }
        JsonNode card;
        try {
            card = new ObjectMapper().readTree(cardFile.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(cardFile + " is not valid JSON (" + e.getOriginalMessage() + ").", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(cardFile + " cannot be read (" + e.getMessage() + ").", e);
        }
        Fields fields = new Fields(cardFile, card);
        String kind = fields.text("input", "kind", "waveform");
        if (!kind.equals("waveform")) {
            throw new IllegalArgumentException(cardFile + ": input.kind '" + kind + "' is not supported by this build;"
                    + " export the model to take the 16 kHz waveform (\"waveform\").");
        }
        List<String> labels = new ArrayList<>();
        JsonNode labelNode = card.path("labels");
        if (!labelNode.isArray() || labelNode.isEmpty()) {
            throw new IllegalArgumentException(cardFile + ": labels must be a non-empty list of the model's classes, in"
                    + " the order of its output.");
        }
        labelNode.forEach(label -> labels.add(label.asText()));
        if (new HashSet<>(labels).size() != labels.size() || labels.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(cardFile + ": labels must be distinct and not blank, got " + labels + ".");
        }
        String scores = fields.text("output", "scores", "logits");
        if (!scores.equals("logits") && !scores.equals("probabilities")) {
            throw new IllegalArgumentException(cardFile + ": output.scores is \"logits\" or \"probabilities\", not '" + scores + "'.");
        }
        boolean hasDimensions = card.has("dimensions");
        double maxSeconds = card.path("input").path("maxSeconds").asDouble(30);
        int maxBatch = card.path("maxBatchSize").asInt(8);
        if (maxSeconds <= 0 || maxBatch < 1) {
            throw new IllegalArgumentException(cardFile + ": input.maxSeconds must be above 0 and maxBatchSize at least 1.");
        }
        Path file = directory.resolve(fields.required(card.has(modelFileField) || !card.has("file") ? modelFileField : "file"));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(cardFile + " names the model file " + file + ", which does not exist.");
        }
        return new ModelCard(directory, fields.text(null, "name", directory.getFileName().toString()), file,
                fields.text("input", "name", "input_values"), card.path("input").path("mask").asText(null), maxSeconds,
                fields.text("output", "name", "logits"), scores.equals("logits"),
                hasDimensions ? fields.text("dimensions", "name", "dims") : null,
                card.path("dimensions").path("arousal").asInt(0), card.path("dimensions").path("valence").asInt(1),
                List.copyOf(labels), maxBatch);
    }

    /** The model file's SHA-256 in hex: models are identified by content in {@code modelId}, not by path. */
    public String fileSha256() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The most samples at 16 kHz an utterance may give the model. */
    public int maxSamples() {
        return (int) Math.round(maxSeconds * 16_000);
    }

    private record Fields(Path cardFile, JsonNode card) {
        String required(String field) {
            JsonNode value = card.path(field);
            if (!value.isTextual() || value.asText().isBlank()) {
                throw new IllegalArgumentException(cardFile + ": \"" + field + "\" is required.");
            }
            return value.asText();
        }

        String text(String section, String field, String fallback) {
            JsonNode value = (section == null ? card : card.path(section)).path(field);
            return value.isTextual() && !value.asText().isBlank() ? value.asText() : fallback;
        }
    }
}
