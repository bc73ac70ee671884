package io.emostream.sinks;

import io.emostream.schema.EmotionEvent;
import io.emostream.schema.GroupKind;
import io.emostream.schema.GroupSummary;
import io.emostream.sinks.calls.AlertRules;
import io.emostream.sinks.groups.GroupTracker;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per agent and per series: each new event (replays already dropped by the call tracker, re-keyed by group) updates
 * its group's tracker, and the 15- and 60-minute summaries go on, keyed by group. A group quiet for the retention
 * time is dropped.
 */
final class TrackGroups implements Processor<String, EmotionEvent, String, GroupSummary> {
    private final AlertRules rules;
    private final Duration retention;
    private ProcessorContext<String, GroupSummary> context;
    private KeyValueStore<String, GroupTracker> groups;

    TrackGroups(AlertRules rules, Duration retention) {
        this.rules = rules;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, GroupSummary> processorContext) {
        context = processorContext;
        groups = context.getStateStore(CallsTopology.GROUPS_STORE);
        Retention.schedule(context, groups, retention, tracker -> tracker.lastRecordMs);
    }

    @Override
    public void process(Record<String, EmotionEvent> record) {
        EmotionEvent event = record.value();
        String key = record.key();
        GroupTracker tracker = groups.get(key);
        if (tracker == null) {
            boolean agent = key.equals(GroupTracker.key(GroupKind.AGENT, String.valueOf(event.getSpeaker())));
            tracker = GroupTracker.start(agent ? GroupKind.AGENT : GroupKind.SERIES, agent ? event.getSpeaker() : event.getSeries());
        }
        List<GroupSummary> summaries = tracker.apply(event, event.getEmitTimeMs(), rules);
        if (!summaries.isEmpty()) {
            tracker.lastRecordMs = Math.max(tracker.lastRecordMs, record.timestamp());
            groups.put(key, tracker);
            summaries.forEach(summary -> context.forward(record.withValue(summary)));
        }
    }
}
