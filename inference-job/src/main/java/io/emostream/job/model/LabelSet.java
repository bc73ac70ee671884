package io.emostream.job.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of emotion labels, and how the default set maps onto others for evaluation against corpora labelled
 * differently. The default is MSP-Podcast's primary set. A label with no counterpart in the target set maps to
 * none and its probability is left out of that set's scores (which are then renormalised).
 */
public record LabelSet(String name, List<String> labels) {
    public static final String NEUTRAL = "neutral";
    public static final String HAPPY = "happy";
    public static final String SAD = "sad";
    public static final String ANGRY = "angry";
    public static final String SURPRISED = "surprised";
    public static final String FEARFUL = "fearful";
    public static final String DISGUSTED = "disgusted";
    public static final String CONTEMPTUOUS = "contemptuous";

    /** MSP-Podcast's primary emotions: the default label set. */
    public static final LabelSet MSP_PODCAST = new LabelSet("msp-podcast",
            List.of(NEUTRAL, HAPPY, SAD, ANGRY, SURPRISED, FEARFUL, DISGUSTED, CONTEMPTUOUS));
    /** The four classes most IEMOCAP results use (excited is usually merged into happy by the corpus users). */
    public static final LabelSet IEMOCAP4 = new LabelSet("iemocap4", List.of(NEUTRAL, HAPPY, SAD, ANGRY));
    /** EmotionThinker's nine classes; confused and whisper have no counterpart in the default set. */
    public static final LabelSet EMOTIONTHINKER9 = new LabelSet("emotionthinker9", List.of("neutral", "happy", "sad",
            "angry", "contempt/disgust", "confused", "whisper", "surprise", "fear"));

    private static final Map<String, Map<String, String>> FROM_DEFAULT = Map.of(
            "msp-podcast", Map.of(NEUTRAL, NEUTRAL, HAPPY, HAPPY, SAD, SAD, ANGRY, ANGRY, SURPRISED, SURPRISED,
                    FEARFUL, FEARFUL, DISGUSTED, DISGUSTED, CONTEMPTUOUS, CONTEMPTUOUS),
            "iemocap4", Map.of(NEUTRAL, NEUTRAL, HAPPY, HAPPY, SAD, SAD, ANGRY, ANGRY),
            "emotionthinker9", Map.of(NEUTRAL, "neutral", HAPPY, "happy", SAD, "sad", ANGRY, "angry",
                    SURPRISED, "surprise", FEARFUL, "fear", DISGUSTED, "contempt/disgust", CONTEMPTUOUS, "contempt/disgust"));

    public static List<LabelSet> known() {
        return List.of(MSP_PODCAST, IEMOCAP4, EMOTIONTHINKER9);
    }

    /** The known set with this name; one sentence listing the known ones otherwise. */
    public static LabelSet named(String name) {
        return known().stream().filter(set -> set.name.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown label set '" + name + "'; known: "
                        + String.join(", ", known().stream().map(LabelSet::name).toList())));
    }

    /** Scores over the default set expressed in this set: merged where several map to one, renormalised. */
    public Map<String, Double> fromDefault(Map<String, Double> defaultScores) {
        Map<String, String> mapping = FROM_DEFAULT.get(name);
        Map<String, Double> mapped = new LinkedHashMap<>();
        labels.forEach(label -> mapped.put(label, 0.0));
        double kept = 0;
        for (Map.Entry<String, Double> score : defaultScores.entrySet()) {
            String target = mapping.get(score.getKey());
            if (target != null) {
                mapped.merge(target, score.getValue(), Double::sum);
                kept += score.getValue();
            }
        }
        if (kept > 0) {
            double total = kept;
            mapped.replaceAll((label, p) -> p / total);
        }
        return mapped;
    }
}
