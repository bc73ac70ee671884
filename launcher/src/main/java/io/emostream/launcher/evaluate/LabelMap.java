package io.emostream.launcher.evaluate;

import io.emostream.job.model.LabelSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a corpus's own labels mean: each names a label of the default set (MSP-Podcast's eight), a label of the
 * evaluation set, or {@value #LEAVE_OUT} for one with no place in an emotion-category evaluation (IEMOCAP's
 * frustration, MSP-Podcast's "other"). Presets for MSP-Podcast, IEMOCAP and MELD are built in; a file of
 * {@code label = target} lines gives any other. Labels are matched in any letter case.
 */
public final class LabelMap {
    /** The target of a label that is left out of the evaluation. */
    public static final String LEAVE_OUT = "-";

    private static final Map<String, Map<String, String>> PRESETS = presets();

    private final String description;
    private final Map<String, String> targets;

    private LabelMap(String description, Map<String, String> targets) {
        this.description = description;
        this.targets = targets;
    }

    /** No aliases: the manifest uses the evaluation's labels. */
    public static LabelMap none() {
        return new LabelMap("no label map", Map.of());
    }

    public static List<String> presetNames() {
        return List.copyOf(PRESETS.keySet());
    }

    /** {@code --label-map}: a preset's name or a file; one sentence for a file that cannot be read or holds a bad line. */
    public static LabelMap parse(String option, EvaluationLabels evaluation) {
        Map<String, String> preset = PRESETS.get(option.toLowerCase(Locale.ROOT));
        if (preset != null) {
            return new LabelMap("the " + option.toLowerCase(Locale.ROOT) + " preset", preset);
        }
        return read(Path.of(option), evaluation);
    }

    /** A file of {@code label = target} lines; {@code #} starts a comment. */
    public static LabelMap read(Path file, EvaluationLabels evaluation) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("the label map " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "); give a file of 'label = target' lines or one of the presets " + String.join(", ", presetNames()));
        }
        Map<String, String> targets = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            String label = equals < 0 ? "" : line.substring(0, equals).strip();
            String target = equals < 0 ? "" : line.substring(equals + 1).strip();
            if (label.isEmpty() || target.isEmpty()) {
                throw new IllegalArgumentException("the label map " + file + " line " + (n + 1) + " is not of the form"
                        + " 'label = target'");
            }
            if (!target.equals(LEAVE_OUT) && evaluation.find(target).isEmpty()
                    && !LabelSet.MSP_PODCAST.labels().contains(target.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("the label map " + file + " line " + (n + 1) + " maps to '" + target
                        + "', which is neither a label of " + evaluation.describe() + " nor of the default set ("
                        + String.join(", ", LabelSet.MSP_PODCAST.labels()) + ") nor '" + LEAVE_OUT + "' to leave it out");
            }
            targets.put(label.toLowerCase(Locale.ROOT), target);
        }
        return new LabelMap("the label map " + file, targets);
    }

    public boolean isNone() {
        return targets.isEmpty();
    }

    /** "the iemocap preset" or "the label map FILE": for messages and reports. */
    public String describe() {
        return description;
    }

    /** What a corpus label maps to: a label of the default or the evaluation set, or {@value #LEAVE_OUT}. */
    public Optional<String> target(String label) {
        return Optional.ofNullable(targets.get(label.trim().toLowerCase(Locale.ROOT)));
    }

    /** The presets that know a label: the hint for a label nothing maps. */
    public static List<String> presetsKnowing(String label) {
        String key = label.trim().toLowerCase(Locale.ROOT);
        return PRESETS.entrySet().stream().filter(e -> e.getValue().containsKey(key)).map(Map.Entry::getKey).toList();
    }

    private static Map<String, Map<String, String>> presets() {
        Map<String, Map<String, String>> presets = new LinkedHashMap<>();
        // MSP-Podcast: the consensus files' letters, and the words of the per-annotator files. O (other) and X (no
        // agreement) have no place in a category evaluation.
        presets.put("msp-podcast", lowerCaseKeys(Map.ofEntries(
                Map.entry("N", "neutral"), Map.entry("H", "happy"), Map.entry("S", "sad"), Map.entry("A", "angry"),
                Map.entry("U", "surprised"), Map.entry("F", "fearful"), Map.entry("D", "disgusted"),
                Map.entry("C", "contemptuous"), Map.entry("O", LEAVE_OUT), Map.entry("X", LEAVE_OUT),
                Map.entry("Neutral", "neutral"), Map.entry("Happy", "happy"), Map.entry("Sad", "sad"),
                Map.entry("Angry", "angry"), Map.entry("Surprise", "surprised"), Map.entry("Fear", "fearful"),
                Map.entry("Disgust", "disgusted"), Map.entry("Contempt", "contemptuous"), Map.entry("Other", LEAVE_OUT))));
        // IEMOCAP: the three-letter codes and the evaluators' words; excited is merged into happy, as most IEMOCAP
        // results do, and frustration, other and xxx (no agreement) are left out.
        presets.put("iemocap", lowerCaseKeys(Map.ofEntries(
                Map.entry("neu", "neutral"), Map.entry("hap", "happy"), Map.entry("exc", "happy"), Map.entry("sad", "sad"),
                Map.entry("ang", "angry"), Map.entry("sur", "surprised"), Map.entry("fea", "fearful"),
                Map.entry("dis", "disgusted"), Map.entry("fru", LEAVE_OUT), Map.entry("oth", LEAVE_OUT),
                Map.entry("xxx", LEAVE_OUT), Map.entry("Neutral state", "neutral"), Map.entry("Neutral", "neutral"),
                Map.entry("Happiness", "happy"), Map.entry("Excited", "happy"), Map.entry("Sadness", "sad"),
                Map.entry("Anger", "angry"), Map.entry("Surprise", "surprised"), Map.entry("Fear", "fearful"),
                Map.entry("Disgust", "disgusted"), Map.entry("Frustration", LEAVE_OUT), Map.entry("Other", LEAVE_OUT))));
        // MELD: Ekman's six and neutral, each with a counterpart in the default set.
        presets.put("meld", lowerCaseKeys(Map.of("neutral", "neutral", "joy", "happy", "sadness", "sad", "anger", "angry",
                "surprise", "surprised", "fear", "fearful", "disgust", "disgusted")));
        return presets;
    }

    private static Map<String, String> lowerCaseKeys(Map<String, String> map) {
        Map<String, String> lower = new LinkedHashMap<>();
        map.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return lower;
    }
}
