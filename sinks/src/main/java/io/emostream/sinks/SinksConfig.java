package io.emostream.sinks;

import io.emostream.schema.Topics;
import io.emostream.sinks.calls.AlertRules;
import java.time.Duration;

/**
 * The Streams application's settings in one place; {@link #defaults(String)} is what runs unless told otherwise,
 * and every setting is in the README's configuration table.
 *
 * @param callRetention how long a call's (and an agent's or series') tracker is kept after its latest event
 *                      (checked every minute)
 */
public record SinksConfig(String bootstrapServers, String applicationId, String eventsTopic, String streamEndsTopic,
                          String summaryTopic, String groupsTopic, String alertsTopic, String deadLetterTopic,
                          AlertRules rules, Duration callRetention) {

    public static SinksConfig defaults(String bootstrapServers) {
        return new SinksConfig(bootstrapServers, "emostream-sinks", Topics.EMOTION_EVENTS, Topics.STREAM_ENDS,
                Topics.CALLS_SUMMARY, Topics.GROUPS_SUMMARY, Topics.ALERTS, Topics.DEAD_LETTER, AlertRules.defaults(),
                Duration.ofHours(2));
    }

    public SinksConfig withTopics(String events, String summary, String alerts, String deadLetter) {
        return new SinksConfig(bootstrapServers, applicationId, events, streamEndsTopic, summary, groupsTopic, alerts,
                deadLetter, rules, callRetention);
    }

    public SinksConfig withStreamEndsTopic(String streamEnds) {
        return new SinksConfig(bootstrapServers, applicationId, eventsTopic, streamEnds, summaryTopic, groupsTopic,
                alertsTopic, deadLetterTopic, rules, callRetention);
    }

    public SinksConfig withGroupsTopic(String groups) {
        return new SinksConfig(bootstrapServers, applicationId, eventsTopic, streamEndsTopic, summaryTopic, groups,
                alertsTopic, deadLetterTopic, rules, callRetention);
    }

    public SinksConfig withApplicationId(String id) {
        return new SinksConfig(bootstrapServers, id, eventsTopic, streamEndsTopic, summaryTopic, groupsTopic,
                alertsTopic, deadLetterTopic, rules, callRetention);
    }

    public SinksConfig withRules(AlertRules alertRules) {
        return new SinksConfig(bootstrapServers, applicationId, eventsTopic, streamEndsTopic, summaryTopic, groupsTopic,
                alertsTopic, deadLetterTopic, alertRules, callRetention);
    }
}
