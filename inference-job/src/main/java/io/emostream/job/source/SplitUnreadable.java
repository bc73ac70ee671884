package io.emostream.job.source;

import io.emostream.job.JobMetrics;
import io.emostream.schema.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes readable chunks on and sends dead letters for unreadable records to a side output. */
public final class SplitUnreadable extends ProcessFunction<SourceRecord, SourceRecord> {
    private static final long serialVersionUID = 1L;

    private final OutputTag<DeadLetter> unreadable;
    private transient Counter unreadableRecords;

    public SplitUnreadable(OutputTag<DeadLetter> unreadable) {
        this.unreadable = unreadable;
    }

    @Override
    public void open(OpenContext context) {
        unreadableRecords = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.UNREADABLE_RECORDS);
    }

    @Override
    public void processElement(SourceRecord record, Context context, Collector<SourceRecord> out) {
        if (record.deadLetter != null) {
            unreadableRecords.inc();
            context.output(unreadable, record.deadLetter);
        } else {
            out.collect(record);
        }
    }
}
