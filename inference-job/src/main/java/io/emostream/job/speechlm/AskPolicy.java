package io.emostream.job.speechlm;

import io.emostream.job.model.LabelSet;
import io.emostream.schema.EmotionEvent;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which utterances the cascade asks the SpeechLM about, after the local model has labelled them all. Any rule
 * that matches picks the utterance; the first one that matches is recorded as the reason.
 *
 * @param all                 every utterance (the SpeechLM alone, with the local model as its fallback)
 * @param nonNeutral          the local label is not neutral
 * @param confidenceBelow     the local model's confidence is below this (0 turns the rule off)
 * @param alerting            the utterance counts towards a customer-escalation alert under the default alert
 *                            rules: arousal at or above {@value #ALERT_AROUSAL} and valence at or below
 *                            {@value #ALERT_VALENCE}
 * @param sampleRate          a further share of all utterances, picked by a hash of the utterance id so that a
 *                            replay asks about the same ones
 */
public record AskPolicy(boolean all, boolean nonNeutral, double confidenceBelow, boolean alerting, double sampleRate)
        implements Serializable {
    /** The same thresholds as the sinks' default alert rules (AlertRules.highArousal and positiveValence). */
    public static final double ALERT_AROUSAL = 0.3;
    public static final double ALERT_VALENCE = 0.1;

    public static final String ALL = "all";
    public static final String NON_NEUTRAL = "non-neutral";
    public static final String LOW_CONFIDENCE = "low-confidence";
    public static final String ALERTING = "alerting";
    public static final String SAMPLED = "sampled";

    public AskPolicy {
        if (confidenceBelow < 0 || confidenceBelow > 1 || sampleRate < 0 || sampleRate > 1) {
            throw new IllegalArgumentException("the SpeechLM policy needs confidence-below and sample between 0 and 1");
        }
    }

    /**
     * The reason to ask about this event's utterance, or null when no rule picks it. An utterance whose emotion a
     * policy withheld is never asked about: the SpeechLM would infer the very emotion the policy withholds.
     */
    public String reason(EmotionEvent event) {
        if (event.getEmotionWithheld() != null) {
            return null;
        }
        return reason(event.getUtteranceId(), event.getLabel(), event.getConfidence(), event.getArousal(), event.getValence());
    }

    /** The reason to ask about this utterance, or null when no rule picks it. */
    public String reason(String utteranceId, String label, double confidence, double arousal, double valence) {
        if (all) {
            return ALL;
        }
        if (alerting && arousal >= ALERT_AROUSAL && valence <= ALERT_VALENCE) {
            return ALERTING;
        }
        if (nonNeutral && !LabelSet.NEUTRAL.equals(label)) {
            return NON_NEUTRAL;
        }
        if (confidence < confidenceBelow) {
            return LOW_CONFIDENCE;
        }
        if (sampleRate > 0 && share(utteranceId) < sampleRate) {
            return SAMPLED;
        }
        return null;
    }

    /** Where the id falls in [0, 1): the same for the same id on every run and machine. */
    public static double share(String utteranceId) {
        CRC32 crc = new CRC32();
        crc.update(utteranceId.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() / (double) (1L << 32);
    }
}
