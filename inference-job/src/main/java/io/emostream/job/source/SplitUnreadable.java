package io.emostream.job.source;

import io.emostream.schema.DeadLetter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes readable chunks on and sends dead letters for unreadable records to a side output. */
public final class SplitUnreadable extends ProcessFunction<SourceRecord, SourceRecord> {
    private static final long serialVersionUID = 1L;

    private final OutputTag<DeadLetter> unreadable;

    public SplitUnreadable(OutputTag<DeadLetter> unreadable) {
        this.unreadable = unreadable;
    }

    @Override
    public void processElement(SourceRecord record, Context context, Collector<SourceRecord> out) {
        if (record.deadLetter != null) {
            context.output(unreadable, record.deadLetter);
        } else {
            out.collect(record);
        }
    }
}
