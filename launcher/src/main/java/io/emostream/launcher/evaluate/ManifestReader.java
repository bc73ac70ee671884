package io.emostream.launcher.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a labelled set: CSV with a header line, or JSON lines, one clip per record, with the fields
 * <ul>
 * <li>{@code audio} (required): the WAV file, relative to the audio root (by default the manifest's folder);</li>
 * <li>{@code annotators}: each annotator's label, separated by {@code ;} (in JSON also a list);</li>
 * <li>{@code majority}: the majority label; when missing, the annotators' plurality (a tie has none);</li>
 * <li>{@code id}: the item's name in the report (default: the audio path, with the segment when there is one);</li>
 * <li>{@code arousal}, {@code valence}, {@code dominance}: dimensional labels on the {@link DimensionScale};</li>
 * <li>{@code start}, {@code end}: the labelled segment of the file, in seconds.</li>
 * </ul>
 * Other fields are ignored. An item whose majority label has no place in the evaluation (left out by the label map,
 * or a tie) is excluded and counted; everything else wrong is one sentence naming the file and the line.
 */
public final class ManifestReader {
    static final Set<String> FIELDS = Set.of("id", "audio", "annotators", "majority", "arousal", "valence", "dominance",
            "start", "end");

    private final Path file;
    private final ReferenceLabels labels;
    private final DimensionScale scale;
    private final Path audioRoot;

    /** A clip left out of the evaluation, and why. */
    public record Exclusion(int line, String id, Why why, String reason) {
        public enum Why {
            /** Its majority label is left out by the label map, or has no counterpart in the evaluation set. */
            MAJORITY_LEFT_OUT,
            /** Its annotators' labels tie, and no majority label is given. */
            NO_MAJORITY
        }
    }

    /**
     * @param rows     the clips the manifest lists
     * @param items    those evaluated
     * @param excluded the others
     */
    public record Manifest(Path file, int rows, List<LabelledItem> items, List<Exclusion> excluded) {
    }

    private ManifestReader(Path file, ReferenceLabels labels, DimensionScale scale, Path audioRoot) {
        this.file = file;
        this.labels = labels;
        this.scale = scale;
        this.audioRoot = audioRoot;
    }

    /** @param audioRoot what relative audio paths are relative to; null: the manifest's folder */
    public static Manifest read(Path file, ReferenceLabels labels, DimensionScale scale, Path audioRoot) {
        Path root = audioRoot != null ? audioRoot : file.toAbsolutePath().getParent();
        return new ManifestReader(file, labels, scale, root).read();
    }

    /** One record's fields by name, and the line it starts on. */
    private record Row(int line, Map<String, String> fields, List<String> annotators) {
        String get(String name) {
            String value = fields.get(name);
            return value == null || value.isBlank() ? null : value.trim();
        }
    }

    private Manifest read() {
        if (!Files.isRegularFile(file)) {
            throw new ManifestException("The manifest " + file + " does not exist; give the path of a CSV or JSON-lines"
                    + " file that lists the labelled clips.");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManifestException("The manifest " + file + " cannot be read as UTF-8 text (" + e.getClass().getSimpleName()
                    + "); save it as UTF-8.");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Row> rows;
        if (name.endsWith(".csv")) {
            rows = csvRows(text);
        } else if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            rows = jsonRows(text);
        } else {
            throw new ManifestException("The manifest " + file + " is neither .csv nor .jsonl; write it as CSV with a header"
                    + " line or as JSON lines, named accordingly.");
        }
        if (rows.isEmpty()) {
            throw new ManifestException("The manifest " + file + " lists no clips; add one line per labelled clip (see"
                    + " docs/evaluation.md).");
        }
        List<LabelledItem> items = new ArrayList<>();
        List<Exclusion> excluded = new ArrayList<>();
        Map<String, Integer> lineOfId = new HashMap<>();
        for (Row row : rows) {
            Parsed parsed = item(row);
            Integer earlier = lineOfId.putIfAbsent(parsed.id(), row.line());
            if (earlier != null) {
                throw new ManifestException(where(row) + " has the id '" + parsed.id() + "', as line " + earlier
                        + " has; give each clip its own id.");
            }
            if (parsed.item() != null) {
                items.add(parsed.item());
            } else {
                excluded.add(parsed.exclusion());
            }
        }
        if (items.isEmpty()) {
            throw new ManifestException("None of the " + rows.size() + " clips of " + file + " has a majority label in "
                    + labels.evaluation().describe() + " (line " + excluded.get(0).line() + ": " + excluded.get(0).reason()
                    + "); check --label-set and --label-map.");
        }
        requireAudio(items);
        return new Manifest(file, rows.size(), List.copyOf(items), List.copyOf(excluded));
    }

    private List<Row> csvRows(String text) {
        List<Csv.Record> records = Csv.parse(text, "The manifest " + file);
        List<Row> rows = new ArrayList<>();
        if (records.isEmpty()) {
            return rows;
        }
        List<String> header = records.get(0).fields().stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        if (!header.contains("audio")) {
            throw new ManifestException("The manifest " + file + " has no 'audio' column; its first line must name the"
                    + " columns, e.g. id,audio,annotators,majority.");
        }
        if (!header.contains("annotators") && !header.contains("majority")) {
            throw new ManifestException("The manifest " + file + " has neither an 'annotators' nor a 'majority' column;"
                    + " name at least one of them in its first line.");
        }
        for (Csv.Record record : records.subList(1, records.size())) {
            if (record.fields().stream().allMatch(String::isBlank)) {
                continue;
            }
            if (record.fields().size() > header.size()) {
                throw new ManifestException("The manifest " + file + " line " + record.line() + " has "
                        + record.fields().size() + " fields but the header names " + header.size() + "; quote fields that"
                        + " hold a comma.");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int f = 0; f < record.fields().size(); f++) {
                fields.put(header.get(f), record.fields().get(f));
            }
            String annotators = fields.get("annotators");
            rows.add(new Row(record.line(), fields, annotators == null ? List.of() : split(annotators)));
        }
        return rows;
    }

    private List<Row> jsonRows(String text) {
        ObjectMapper json = new ObjectMapper();
        List<Row> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = n == 0 && lines[0].startsWith("\uFEFF") ? lines[0].substring(1) : lines[n];
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (JsonProcessingException e) {
                throw new ManifestException("The manifest " + file + " line " + (n + 1) + " is not valid JSON ("
                        + e.getOriginalMessage() + "); write one JSON object per line.");
            }
            if (node == null || !node.isObject()) {
                throw new ManifestException("The manifest " + file + " line " + (n + 1) + " is not a JSON object; write one"
                        + " object per line, such as {\"audio\": \"a.wav\", \"majority\": \"happy\"}.");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            List<String> annotators = new ArrayList<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String key = entry.getKey().toLowerCase(Locale.ROOT);
                JsonNode value = entry.getValue();
                if (key.equals("annotators") && value.isArray()) {
                    value.forEach(label -> annotators.add(label.asText()));
                } else if (key.equals("annotators") && value.isTextual()) {
                    annotators.addAll(split(value.asText()));
                } else if (FIELDS.contains(key) && !value.isNull()) {
                    if (!value.isValueNode()) {
                        throw new ManifestException("The manifest " + file + " line " + (n + 1) + ": '" + entry.getKey()
                                + "' holds " + value.getNodeType().toString().toLowerCase(Locale.ROOT) + "; give a single value.");
                    }
                    fields.put(key, value.asText());
                }
            }
            rows.add(new Row(n + 1, fields, annotators));
        }
        return rows;
    }

    private static List<String> split(String annotators) {
        return Arrays.stream(annotators.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A row read: the item it describes, or why it is excluded. */
    private record Parsed(String id, LabelledItem item, Exclusion exclusion) {
        static Parsed excluded(Row row, String id, Exclusion.Why why, String reason) {
            return new Parsed(id, null, new Exclusion(row.line(), id, why, reason));
        }
    }

    private Parsed item(Row row) {
        String audio = row.get("audio");
        if (audio == null) {
            throw new ManifestException(where(row) + " names no audio file; give its path in the 'audio' field.");
        }
        double start = number(row, "start", 0.0);
        double end = number(row, "end", Double.POSITIVE_INFINITY);
        if (start < 0 || end <= start) {
            throw new ManifestException(String.format(Locale.ROOT, "%s: the segment from %s s to %s s does not run"
                    + " forwards; give start and end in seconds, start before end.", where(row), row.get("start"), row.get("end")));
        }
        String id = row.get("id") != null ? row.get("id") : audio + (row.get("start") == null && row.get("end") == null ? ""
                : "#t=" + (row.get("start") == null ? "0" : row.get("start")) + (row.get("end") == null ? "" : "," + row.get("end")));

        List<String> annotators = new ArrayList<>();
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (String raw : row.annotators()) {
            ReferenceLabels.Resolution resolved = resolve(row, raw);
            if (resolved instanceof ReferenceLabels.InSet inSet) {
                annotators.add(inSet.label());
                votes.merge(inSet.label(), 1, Integer::sum);
            } else {
                // A label left out still counts as a vote: three "frustrated" and one "angry" is not an angry clip.
                votes.merge(LabelMap.LEAVE_OUT + raw.trim().toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
        }
        String majority;
        String given = row.get("majority");
        if (given != null) {
            ReferenceLabels.Resolution resolved = resolve(row, given);
            if (!(resolved instanceof ReferenceLabels.InSet inSet)) {
                return Parsed.excluded(row, id, Exclusion.Why.MAJORITY_LEFT_OUT, "its majority label '" + given
                        + "' has no place in " + labels.evaluation().name());
            }
            majority = inSet.label();
        } else if (votes.isEmpty()) {
            throw new ManifestException(where(row) + " has no label; give the annotators' labels (separated by ';') or a"
                    + " majority label.");
        } else {
            int most = votes.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            List<String> top = votes.entrySet().stream().filter(e -> e.getValue() == most).map(Map.Entry::getKey).toList();
            if (top.size() > 1) {
                return Parsed.excluded(row, id, Exclusion.Why.NO_MAJORITY, "its annotators' labels tie (" + top.stream()
                        .map(l -> l.startsWith(LabelMap.LEAVE_OUT) ? l.substring(1) : l).collect(Collectors.joining(", "))
                        + "), so it has no majority label");
            }
            if (top.get(0).startsWith(LabelMap.LEAVE_OUT)) {
                return Parsed.excluded(row, id, Exclusion.Why.MAJORITY_LEFT_OUT, "its annotators' majority label '"
                        + top.get(0).substring(1) + "' has no place in " + labels.evaluation().name());
            }
            majority = top.get(0);
        }
        return new Parsed(id, new LabelledItem(row.line(), id, audioRoot.resolve(audio), start, end, majority, annotators,
                dimension(row, "arousal"), dimension(row, "valence"), dimension(row, "dominance")), null);
    }

    private ReferenceLabels.Resolution resolve(Row row, String raw) {
        ReferenceLabels.Resolution resolved = labels.resolve(raw);
        if (resolved instanceof ReferenceLabels.Unknown unknown) {
            throw new ManifestException(where(row) + ": the label '" + unknown.label() + "' is not in "
                    + labels.evaluation().describe() + (labels.map().isNone() ? "" : " and " + labels.map().describe()
                    + " does not map it") + "; " + labels.hintFor(unknown.label()) + ".");
        }
        return resolved;
    }

    private double number(Row row, String field, double absent) {
        String value = row.get(field);
        if (value == null) {
            return absent;
        }
        try {
            double number = Double.parseDouble(value);
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // the sentence below names the field and the value
        }
        throw new ManifestException(where(row) + ": " + field + " '" + value + "' is not a number; give "
                + (field.equals("start") || field.equals("end") ? "seconds, e.g. 12.5." : "a number on the dimension scale."));
    }

    private Double dimension(Row row, String field) {
        if (row.get(field) == null) {
            return null;
        }
        double value = number(row, field, Double.NaN);
        if (!scale.contains(value)) {
            throw new ManifestException(where(row) + ": " + field + " " + row.get(field) + " lies outside the scale " + scale
                    + " of --dimension-scale; give the scale the manifest's values use (MSP-Podcast 1:7, IEMOCAP 1:5).");
        }
        return scale.toModel(value);
    }

    /** Every item's audio must be there before anything runs: the first missing file, and how many more. */
    private void requireAudio(List<LabelledItem> items) {
        List<LabelledItem> missing = items.stream().filter(item -> !Files.isRegularFile(item.audio())).toList();
        if (missing.isEmpty()) {
            return;
        }
        LabelledItem first = missing.get(0);
        throw new ManifestException("The manifest " + file + " line " + first.line() + " names the audio file "
                + first.audio() + ", which does not exist" + (missing.size() > 1 ? " (nor do " + (missing.size() - 1)
                + " more of the files it names)" : "") + "; relative paths are read from " + audioRoot
                + ", so set --audio-root to the folder that holds the audio.");
    }

    private String where(Row row) {
        return "The manifest " + file + " line " + row.line();
    }
}
