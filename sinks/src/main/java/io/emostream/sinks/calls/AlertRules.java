package io.emostream.sinks.calls;

import java.io.Serializable;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * When a call raises an alert. Every alert is raised once per episode: it opens when its rule fires and closes
 * when the call has calmed down again, and only a new episode raises it again.
 *
 * @param negativeValence       an utterance at or below this valence is negative
 * @param highArousal           an utterance at or above this arousal is high-arousal
 * @param positiveValence       a high-arousal utterance above this valence is excitement, not escalation; without a
 *                              transcript valence is 0, so arousal alone decides
 * @param consecutive           customer_escalation: this many high-arousal, not positive customer utterances in a row
 * @param escalationThreshold   customer_escalation: or the escalation score reaching this while rising
 * @param escalationReset       the episode ends when the score falls below this and the run of negative,
 *                              high-arousal utterances is broken
 * @param silenceMs             long_silence: nobody spoke for this long (stream time) between two utterances
 * @param agentSpikeArousal     agent_arousal_spike: the agent's arousal reaches this...
 * @param agentSpikeAboveUsual  ...and is this far above their running arousal...
 * @param agentUsualAfter       ...once they have spoken this many utterances; the episode ends when their arousal is
 *                              back within half the margin of their usual
 */
public record AlertRules(double negativeValence, double highArousal, double positiveValence, int consecutive,
                         double escalationThreshold,
                         double escalationReset, long silenceMs, double agentSpikeArousal, double agentSpikeAboveUsual,
                         int agentUsualAfter) implements Serializable {

    public static AlertRules defaults() {
        return new AlertRules(-0.1, 0.3, 0.1, 3, 0.6, 0.4, 20_000, 0.5, 0.35, 3);
    }

    public AlertRules {
        if (consecutive < 1 || silenceMs < 1 || agentUsualAfter < 0) {
            throw new IllegalArgumentException("alert rules need consecutive >= 1, silenceMs >= 1 and agentUsualAfter >= 0");
        }
        if (escalationReset > escalationThreshold) {
            throw new IllegalArgumentException("escalationReset (" + escalationReset + ") must not exceed escalationThreshold ("
                    + escalationThreshold + "), or an episode could never end");
        }
    }

    /**
     * The defaults with any of them overridden by properties named as this record's components, e.g.
     * {@code consecutive=4} or {@code silenceMs=30000}. An unknown name or a value that is not a number gets one
     * sentence naming it.
     */
    public static AlertRules fromProperties(Properties overrides) {
        AlertRules defaults = defaults();
        Map<String, Double> values = new LinkedHashMap<>();
        for (RecordComponent component : AlertRules.class.getRecordComponents()) {
            try {
                values.put(component.getName(), ((Number) component.getAccessor().invoke(defaults)).doubleValue());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("AlertRules." + component.getName() + " cannot be read", e);
            }
        }
        for (String name : overrides.stringPropertyNames()) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("unknown alert rule setting '" + name + "'; the settings are "
                        + String.join(", ", values.keySet()));
            }
            String value = overrides.getProperty(name).strip();
            try {
                values.put(name, Double.parseDouble(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("alert rule setting " + name + " must be a number, not '" + value + "'", e);
            }
        }
        return new AlertRules(values.get("negativeValence"), values.get("highArousal"), values.get("positiveValence"),
                values.get("consecutive").intValue(), values.get("escalationThreshold"), values.get("escalationReset"),
                values.get("silenceMs").longValue(), values.get("agentSpikeArousal"), values.get("agentSpikeAboveUsual"),
                values.get("agentUsualAfter").intValue());
    }

    public AlertRules withConsecutive(int utterances) {
        return new AlertRules(negativeValence, highArousal, positiveValence, utterances, escalationThreshold, escalationReset,
                silenceMs, agentSpikeArousal, agentSpikeAboveUsual, agentUsualAfter);
    }

    public AlertRules withSilenceMs(long ms) {
        return new AlertRules(negativeValence, highArousal, positiveValence, consecutive, escalationThreshold,
                escalationReset, ms, agentSpikeArousal, agentSpikeAboveUsual, agentUsualAfter);
    }
}
