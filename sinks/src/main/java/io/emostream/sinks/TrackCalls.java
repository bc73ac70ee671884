package io.emostream.sinks;

import io.emostream.schema.DeadLetter;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.StreamEnd;
import io.emostream.schema.codec.RecordCodec;
import io.emostream.sinks.calls.AlertRules;
import io.emostream.sinks.calls.CallTracker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The Streams shell around {@link CallTracker}: one tracker per call in a state store, a summary out for every new
 * event, alerts when a rule fires, the new event itself (replays dropped) for the group summaries, a summary when
 * a {@link StreamEnd} from the stream-ends topic ends the call, and a dead letter for a record that is not what its
 * topic carries. Trackers of calls that have gone quiet for the retention time are dropped, checked every minute of
 * wall-clock time.
 */
final class TrackCalls implements Processor<String, byte[], String, SpecificRecord> {
    static final String STAGE = "sinks/calls";
    private final AlertRules rules;
    private final Duration retention;
    private final String streamEndsTopic;
    private final RecordCodec<EmotionEvent> events = RecordCodec.of(EmotionEvent.class);
    private final RecordCodec<StreamEnd> ends = RecordCodec.of(StreamEnd.class);
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, CallTracker> calls;

    TrackCalls(AlertRules rules, Duration retention, String streamEndsTopic) {
        this.rules = rules;
        this.retention = retention;
        this.streamEndsTopic = streamEndsTopic;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> processorContext) {
        context = processorContext;
        calls = context.getStateStore(CallsTopology.CALLS_STORE);
        Retention.schedule(context, calls, retention, tracker -> tracker.lastRecordMs);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (context.recordMetadata().map(m -> m.topic().equals(streamEndsTopic)).orElse(false)) {
            processEnd(record);
            return;
        }
        EmotionEvent event;
        try {
            event = events.decode(record.value());
        } catch (RuntimeException unreadable) {
            String reason = "not an EmotionEvent: " + unreadable.getMessage();
            context.forward(record.withValue((SpecificRecord) deadLetter(record, reason)));
            return;
        }
        CallTracker tracker = calls.get(event.getCallId());
        CallTracker.Update update = (tracker == null ? tracker = CallTracker.start(event.getCallId()) : tracker).apply(event, rules);
        if (update.replay()) {
            return;
        }
        tracker.lastRecordMs = Math.max(tracker.lastRecordMs, record.timestamp());
        calls.put(event.getCallId(), tracker);
        context.forward(record.withKey(event.getCallId()).withValue((SpecificRecord) update.summary()));
        for (var alert : update.alerts()) {
            context.forward(record.withKey(event.getCallId()).withValue((SpecificRecord) alert));
        }
        // The event itself goes on, once, to the per-agent and per-series summaries.
        context.forward(record.withKey(event.getCallId()).withValue((SpecificRecord) event));
    }

    private void processEnd(Record<String, byte[]> record) {
        StreamEnd end;
        try {
            end = ends.decode(record.value());
        } catch (RuntimeException unreadable) {
            String reason = "not a StreamEnd: " + unreadable.getMessage();
            context.forward(record.withValue((SpecificRecord) deadLetter(record, reason)));
            return;
        }
        CallTracker tracker = calls.get(end.getCallId());
        if (tracker == null) {
            tracker = CallTracker.start(end.getCallId());
        }
        var ended = tracker.end(end);
        tracker.lastRecordMs = Math.max(tracker.lastRecordMs, record.timestamp());
        calls.put(end.getCallId(), tracker);
        ended.ifPresent(summary -> context.forward(record.withKey(end.getCallId()).withValue((SpecificRecord) summary)));
    }

    private DeadLetter deadLetter(Record<String, byte[]> record, String reason) {
        var metadata = context.recordMetadata();
        return DeadLetter.newBuilder()
                .setReason(reason)
                .setStage(STAGE)
                .setSourceTopic(metadata.map(m -> m.topic()).orElse(""))
                .setSourcePartition(metadata.map(m -> m.partition()).orElse(-1))
                .setSourceOffset(metadata.map(m -> m.offset()).orElse(-1L))
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key().getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setFailedAtMs(System.currentTimeMillis())
                .build();
    }
}
