package io.emostream.sinks.calls;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * When a call raises an alert. Every alert is raised once per episode: it opens when its rule fires and closes
 * when the call has calmed down again, and only a new episode raises it again.
 *
 * @param negativeValence       an utterance at or below this valence is negative
 * @param highArousal           an utterance at or above this arousal is high-arousal; a customer_escalation phrase
 *                              needs at least this arousal too
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
 * @param risingTurns           customer_escalation: or this many heated turns in a row (high arousal, and negative,
 *                              or without words), each with more arousal than the one before
 * @param overtalkInterruptions overtalk: one role cut in on another this many times...
 * @param overtalkWindowMs      ...within this much stream time; the episode ends once a whole window passes without
 *                              that role cutting in
 * @param phraseCooldownMs      phrase:CATEGORY: a phrase of the same category within this much stream time of the
 *                              previous one belongs to the same episode
 */
public record AlertRules(double negativeValence, double highArousal, double positiveValence, int consecutive,
                         double escalationThreshold,
                         double escalationReset, long silenceMs, double agentSpikeArousal, double agentSpikeAboveUsual,
                         int agentUsualAfter, int risingTurns, int overtalkInterruptions, long overtalkWindowMs,
                         long phraseCooldownMs) implements Serializable {

    public static AlertRules defaults() {
        return new AlertRules(-0.1, 0.3, 0.1, 3, 0.6, 0.4, 20_000, 0.5, 0.35, 3, 2, 3, 60_000, 300_000);
    }

    public AlertRules {
        if (consecutive < 1 || silenceMs < 1 || agentUsualAfter < 0) {
            throw new IllegalArgumentException("alert rules need consecutive >= 1, silenceMs >= 1 and agentUsualAfter >= 0");
        }
        if (escalationReset > escalationThreshold) {
            throw new IllegalArgumentException("escalationReset (" + escalationReset + ") must not exceed escalationThreshold ("
                    + escalationThreshold + "), or an episode could never end");
        }
        if (risingTurns < 2 || overtalkInterruptions < 1 || overtalkWindowMs < 1 || phraseCooldownMs < 0) {
            throw new IllegalArgumentException("alert rules need risingTurns >= 2 (one turn cannot rise), "
                    + "overtalkInterruptions >= 1, overtalkWindowMs >= 1 and phraseCooldownMs >= 0");
        }
    }

    /**
     * The defaults with any of them overridden by properties named as this record's components, e.g.
     * {@code consecutive=4} or {@code silenceMs=30000}. An unknown name, a value that is not a number, or a fraction
     * where a whole number belongs gets one sentence naming it.
     */
    public static AlertRules fromProperties(Properties overrides) {
        AlertRules defaults = defaults();
        RecordComponent[] components = AlertRules.class.getRecordComponents();
        Map<String, Double> values = new LinkedHashMap<>();
        for (RecordComponent component : components) {
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
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            double value = values.get(name);
            Class<?> type = components[i].getType();
            if (type != double.class && value != Math.rint(value)) {
                throw new IllegalArgumentException("alert rule setting " + name + " must be a whole number, not " + value);
            }
            arguments[i] = type == int.class ? (Object) (int) value : type == long.class ? (Object) (long) value : (Object) value;
        }
        try {
            Constructor<AlertRules> canonical = AlertRules.class.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw new IllegalStateException("AlertRules could not be made", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("AlertRules could not be made", e);
        }
    }

    public AlertRules withConsecutive(int utterances) {
        return new AlertRules(negativeValence, highArousal, positiveValence, utterances, escalationThreshold, escalationReset,
                silenceMs, agentSpikeArousal, agentSpikeAboveUsual, agentUsualAfter, risingTurns, overtalkInterruptions,
                overtalkWindowMs, phraseCooldownMs);
    }

    public AlertRules withSilenceMs(long ms) {
        return new AlertRules(negativeValence, highArousal, positiveValence, consecutive, escalationThreshold,
                escalationReset, ms, agentSpikeArousal, agentSpikeAboveUsual, agentUsualAfter, risingTurns,
                overtalkInterruptions, overtalkWindowMs, phraseCooldownMs);
    }
}
