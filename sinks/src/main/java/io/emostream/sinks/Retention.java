package io.emostream.sinks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a store to what is active: whenever stream time (the newest record's timestamp) passes a minute, entries
 * whose last event is more than the retention time older go. Stream time, not the wall clock, so that catching
 * up on a backlog does not drop calls while their events are still being read.
 */
final class Retention {
    private Retention() {
    }

    static <V> void schedule(ProcessorContext<?, ?> context, KeyValueStore<String, V> store, Duration retention,
                             ToLongFunction<V> lastHeardMs) {
        context.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, nowMs -> {
            List<String> quiet = new ArrayList<>();
            try (KeyValueIterator<String, V> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, V> entry = all.next();
                    if (lastHeardMs.applyAsLong(entry.value) < nowMs - retention.toMillis()) {
                        quiet.add(entry.key);
                    }
                }
            }
            quiet.forEach(store::delete);
        });
    }
}
