package io.emostream.job.model.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.emostream.job.model.logmel.LogMelSettings;
import io.emostream.job.model.logmel.LogMelSettings.Log;
import io.emostream.job.model.logmel.LogMelSettings.MelNorm;
import io.emostream.job.model.logmel.LogMelSettings.MelScale;
import io.emostream.job.model.logmel.LogMelSettings.Normalize;
import io.emostream.job.model.logmel.LogMelSettings.PadMode;
import io.emostream.job.model.logmel.LogMelSettings.Style;
import io.emostream.job.model.logmel.LogMelSettings.Window;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;

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
 *   "maxBatchSize": 8,
 *   "provider": "cpu"
 * }
 * }</pre>
 * A log-mel input ({@code "kind": "log-mel"}) adds the front end's parameters and the tensor's layout; see
 * {@link LogMelInput} and inference-job/README.md.
 *
 * @param input      name of the model's audio input: the 16 kHz mono waveform, shaped [batch, samples], float32 in
 *                   [-1, 1], or, with {@code logMel}, log-mel features shaped [batch, frames, mels] or [batch, mels,
 *                   frames]
 * @param mask       name of the attention-mask input ([batch, samples] or [batch, frames], 1 for audio, 0 for
 *                   padding), or null: then utterances of different lengths are never padded into one batch
 * @param maxSeconds longer utterances are cut to this many seconds
 * @param logMel     how the log-mel input is computed and laid out, or null for a waveform input
 * @param output     name of the class-score output, shaped [batch, labels]
 * @param logits     whether that output is logits (softmax applied here) rather than probabilities
 * @param dimensions name of an optional [batch, n] output holding arousal and valence, or null
 * @param provider   where ONNX Runtime runs the model
 */
public record ModelCard(Path directory, String name, Path file, String input, String mask, double maxSeconds,
                        LogMelInput logMel, String output, boolean logits, String dimensions, int arousalIndex,
                        int valenceIndex, List<String> labels, int maxBatchSize, ExecutionProvider provider) {
    public static final String FILE_NAME = "model-card.json";

    /** The order of a log-mel tensor's axes: Kaldi-style [batch, frames, mels] or torch-style [batch, mels, frames]. */
    public enum Layout { FRAMES_FIRST, MELS_FIRST }

    /**
     * How utterances of different lengths share a batch. features: each utterance's features are computed on its own
     * and the frames after its end hold padValue (Hugging Face's feature extractors for fbank models); silence: each
     * waveform is padded with zeros first and the features are computed over the silence too (Whisper).
     */
    public enum Padding { FEATURES, SILENCE }

    /** A log-mel input: the front end, the tensor's layout and how batches are padded. */
    public record LogMelInput(LogMelSettings features, Layout layout, Padding padding, float padValue) {
    }

    private static final Set<String> LOG_MEL_FIELDS = Set.of("kind", "name", "mask", "maxSeconds", "layout", "padding",
            "padValue", "style", "melBins", "nFft", "windowLength", "windowMs", "hop", "hopMs", "fMin", "fMax", "window",
            "center", "padMode", "power", "melScale", "melNorm", "preemphasis", "removeDcOffset", "inputScale", "log",
            "floor", "offset", "dynamicRange", "normalize", "dropLastFrame");
    private static final Set<String> WAVEFORM_FIELDS = Set.of("kind", "name", "mask", "maxSeconds");
    private static final Set<String> PROVIDER_FIELDS = Set.of("name", "device", "fp16", "engineCache");

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
        if (!kind.equals("waveform") && !kind.equals("log-mel")) {
            throw new IllegalArgumentException(cardFile + ": input.kind is \"waveform\" or \"log-mel\", not '" + kind + "'.");
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
        if (card.path("dimensions").path("arousal").asInt(0) < 0 || card.path("dimensions").path("valence").asInt(1) < 0) {
            throw new IllegalArgumentException(cardFile + ": dimensions.arousal and dimensions.valence are column indexes of"
                    + " the dimensional output, 0 or more.");
        }
        double maxSeconds = card.path("input").path("maxSeconds").asDouble(30);
        int maxBatch = card.path("maxBatchSize").asInt(8);
        if (maxSeconds <= 0 || maxBatch < 1) {
            throw new IllegalArgumentException(cardFile + ": input.maxSeconds must be above 0 and maxBatchSize at least 1.");
        }
        LogMelInput logMel = kind.equals("log-mel") ? logMel(fields) : null;
        if (logMel == null) {
            card.path("input").fieldNames().forEachRemaining(field -> {
                if (LOG_MEL_FIELDS.contains(field) && !WAVEFORM_FIELDS.contains(field)) {
                    throw new IllegalArgumentException(cardFile + ": input." + field + " describes log-mel features, but"
                            + " input.kind is waveform; set \"kind\": \"log-mel\" or remove it.");
                }
            });
        }
        ExecutionProvider provider = provider(fields, directory);
        Path file = directory.resolve(fields.required(card.has(modelFileField) || !card.has("file") ? modelFileField : "file"));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(cardFile + " names the model file " + file + ", which does not exist.");
        }
        return new ModelCard(directory, fields.text(null, "name", directory.getFileName().toString()), file,
                fields.text("input", "name", logMel != null ? "input_features" : "input_values"),
                card.path("input").path("mask").asText(null), maxSeconds, logMel,
                fields.text("output", "name", "logits"), scores.equals("logits"),
                hasDimensions ? fields.text("dimensions", "name", "dims") : null,
                card.path("dimensions").path("arousal").asInt(0), card.path("dimensions").path("valence").asInt(1),
                List.copyOf(labels), maxBatch, provider);
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

    /** The card's file, for messages. */
    public Path cardFile() {
        return directory.resolve(FILE_NAME);
    }

    private static LogMelInput logMel(Fields fields) {
        JsonNode input = fields.card().path("input");
        input.fieldNames().forEachRemaining(field -> {
            if (!LOG_MEL_FIELDS.contains(field)) {
                throw new IllegalArgumentException(fields.cardFile() + ": input." + field + " is not a log-mel field;"
                        + " they are " + String.join(", ", new TreeSet<>(LOG_MEL_FIELDS)) + ".");
            }
        });
        try {
            Style style = fields.choice(input, "style", Style.class, Style.TORCHAUDIO);
            LogMelSettings.Builder builder = LogMelSettings.builder(style);
            fields.integer(input, "melBins", builder::melBins);
            fields.integer(input, "nFft", builder::nFft);
            fields.integer(input, "windowLength", builder::windowLength);
            fields.number(input, "windowMs", builder::windowMs);
            fields.integer(input, "hop", builder::hop);
            fields.number(input, "hopMs", builder::hopMs);
            fields.number(input, "fMin", builder::fMin);
            fields.number(input, "fMax", builder::fMax);
            fields.flag(input, "center", builder::center);
            fields.integer(input, "power", builder::power);
            fields.number(input, "preemphasis", builder::preemphasis);
            fields.flag(input, "removeDcOffset", builder::removeDcOffset);
            fields.number(input, "inputScale", builder::inputScale);
            fields.number(input, "floor", builder::floor);
            fields.number(input, "offset", builder::offset);
            fields.number(input, "dynamicRange", builder::dynamicRange);
            fields.flag(input, "dropLastFrame", builder::dropLastFrame);
            builder.window(fields.choice(input, "window", Window.class, null))
                    .padMode(fields.choice(input, "padMode", PadMode.class, null))
                    .melScale(fields.choice(input, "melScale", MelScale.class, null))
                    .melNorm(fields.choice(input, "melNorm", MelNorm.class, null))
                    .log(fields.choice(input, "log", Log.class, null))
                    .normalize(fields.choice(input, "normalize", Normalize.class, null));
            if (!input.has("layout")) {
                throw new IllegalArgumentException("layout is required: frames-first for [batch, frames, mels] (Kaldi"
                        + " fbank), mels-first for [batch, mels, frames] (torchaudio, Whisper)");
            }
            Layout layout = fields.choice(input, "layout", Layout.class, null);
            Padding padding = fields.choice(input, "padding", Padding.class,
                    style == Style.WHISPER ? Padding.SILENCE : Padding.FEATURES);
            double[] padValue = {0};
            fields.number(input, "padValue", value -> padValue[0] = value);
            if (padding == Padding.SILENCE && input.has("padValue")) {
                throw new IllegalArgumentException("padValue applies to padding features only; remove it");
            }
            return new LogMelInput(builder.build(), layout, padding, (float) padValue[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fields.cardFile() + ": input." + e.getMessage() + ".", e);
        }
    }

    private static ExecutionProvider provider(Fields fields, Path directory) {
        JsonNode node = fields.card().path("provider");
        if (node.isMissingNode() || node.isNull()) {
            return ExecutionProvider.CPU;
        }
        JsonNode settings = node.isTextual() ? JsonNodeFactory.instance.objectNode().put("name", node.asText()) : node;
        if (!settings.isObject()) {
            throw new IllegalArgumentException(fields.cardFile() + ": provider is \"cpu\", \"cuda\", \"tensorrt\" or an"
                    + " object such as {\"name\": \"tensorrt\", \"device\": 0, \"fp16\": true, \"engineCache\": \"trt\"}.");
        }
        try {
            settings.fieldNames().forEachRemaining(field -> {
                if (!PROVIDER_FIELDS.contains(field)) {
                    throw new IllegalArgumentException(field + " is not a provider field; they are name, device, fp16"
                            + " and engineCache");
                }
            });
            ExecutionProvider.Kind kind = fields.choice(settings, "name", ExecutionProvider.Kind.class, ExecutionProvider.Kind.CPU);
            int[] device = {0};
            fields.integer(settings, "device", value -> device[0] = value);
            boolean[] fp16 = {false};
            fields.flag(settings, "fp16", value -> fp16[0] = value);
            JsonNode cache = settings.path("engineCache");
            if (kind == ExecutionProvider.Kind.CPU && settings.has("device")) {
                throw new IllegalArgumentException("device applies to cuda and tensorrt only; remove it");
            }
            if (kind != ExecutionProvider.Kind.TENSORRT && (settings.has("fp16") || settings.has("engineCache"))) {
                throw new IllegalArgumentException((settings.has("fp16") ? "fp16" : "engineCache") + " applies to"
                        + " tensorrt only; remove it or set name tensorrt");
            }
            if (device[0] < 0) {
                throw new IllegalArgumentException("device is a CUDA device id, 0 or above, got " + device[0]);
            }
            if (!cache.isMissingNode() && (!cache.isTextual() || cache.asText().isBlank())) {
                throw new IllegalArgumentException("engineCache must be a directory, relative to the model's");
            }
            return new ExecutionProvider(kind, device[0], fp16[0], cache.isMissingNode() ? null : directory.resolve(cache.asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fields.cardFile() + ": provider." + e.getMessage() + ".", e);
        }
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

        // The typed readers below report a wrong type as "<field> must be …", for the caller to say where.

        void integer(JsonNode section, String field, IntConsumer set) {
            JsonNode value = section.path(field);
            if (!value.isMissingNode()) {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw new IllegalArgumentException(field + " must be a whole number, got " + value);
                }
                set.accept(value.intValue());
            }
        }

        void number(JsonNode section, String field, DoubleConsumer set) {
            JsonNode value = section.path(field);
            if (!value.isMissingNode()) {
                if (!value.isNumber()) {
                    throw new IllegalArgumentException(field + " must be a number, got " + value);
                }
                set.accept(value.doubleValue());
            }
        }

        void flag(JsonNode section, String field, Consumer<Boolean> set) {
            JsonNode value = section.path(field);
            if (!value.isMissingNode()) {
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException(field + " must be true or false, got " + value);
                }
                set.accept(value.booleanValue());
            }
        }

        <E extends Enum<E>> E choice(JsonNode section, String field, Class<E> type, E fallback) {
            JsonNode value = section.path(field);
            if (value.isMissingNode()) {
                return fallback;
            }
            return LogMelSettings.parse(type, field, value.isTextual() ? value.asText() : value.toString());
        }
    }
}
