package io.emostream.job.stream;

import io.emostream.job.JobMetrics;
import io.emostream.job.source.SourceRecord;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.DeadLetter;
import io.emostream.schema.codec.RecordCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The Flink shell around {@link StreamRestorer}, keyed by speaker stream (call id / channel). Its state survives
 * failover with the job's checkpoints and is dropped once a stream has sent nothing for the retention time. When a chunk is missing, a processing-time timer stops the wait after
 * {@code maxWaitMs}, so one lost chunk delays its stream by at most that. Rejected chunks go to the dead-letter
 * side output.
 */
public final class StreamRestoreFunction extends KeyedProcessFunction<String, SourceRecord, AudioBlock> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected-chunks") { };
    static final String STAGE = "inference-job/restore";

    private final StreamRestorer.Settings settings;
    private final boolean bounded;
    private transient StreamRestorer restorer;
    private transient RecordCodec<AudioChunk> codec;
    private transient ValueState<StreamState> stream;
    private transient ValueState<Long> gapTimer;
    private transient Counter rejectedChunks;
    private transient Counter duplicateChunks;
    private transient Counter bridgedMs;

    /** @param bounded whether the input ends; then chunks still waiting behind a gap go out when it does */
    public StreamRestoreFunction(StreamRestorer.Settings settings, boolean bounded) {
        this.settings = settings;
        this.bounded = bounded;
    }

    @Override
    public void open(OpenContext context) {
        restorer = new StreamRestorer(settings);
        rejectedChunks = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.REJECTED_CHUNKS);
        duplicateChunks = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.DUPLICATE_CHUNKS);
        bridgedMs = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.BRIDGED_MS);
        codec = RecordCodec.of(AudioChunk.class);
        // A stream that stops sending (ended, or its producer vanished) is forgotten after the retention time.
        StateTtlConfig retention = StateTtlConfig.newBuilder(settings.retention())
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
        ValueStateDescriptor<StreamState> streamDescriptor = new ValueStateDescriptor<>("stream", StreamState.class);
        streamDescriptor.enableTimeToLive(retention);
        ValueStateDescriptor<Long> timerDescriptor = new ValueStateDescriptor<>("gap-timer", Long.class);
        timerDescriptor.enableTimeToLive(retention);
        stream = getRuntimeContext().getState(streamDescriptor);
        gapTimer = getRuntimeContext().getState(timerDescriptor);
    }

    @Override
    public void processElement(SourceRecord record, Context context, Collector<AudioBlock> out) throws Exception {
        StreamState state = stream.value() == null ? new StreamState() : stream.value();
        long duplicatesBefore = state.duplicates;
        StreamRestorer.Result result = restorer.accept(state, record.chunk);
        duplicateChunks.inc(state.duplicates - duplicatesBefore);
        emit(result, record, context, out);
        after(state, context);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<AudioBlock> out) throws Exception {
        if (context.timeDomain() == TimeDomain.PROCESSING_TIME) {
            gapTimer.clear();
        }
        StreamState state = stream.value();
        if (state == null) {
            return;
        }
        emit(restorer.giveUpWaiting(state), null, context, out);
        after(state, context);
    }

    private void emit(StreamRestorer.Result result, SourceRecord record, Context context, Collector<AudioBlock> out) {
        for (AudioBlock block : result.blocks()) {
            bridgedMs.inc(block.bridgedSamples * 1000L / AudioBlock.SAMPLE_RATE);
            out.collect(block);
        }
        rejectedChunks.inc(result.rejections().size());
        for (StreamRestorer.Rejection rejection : result.rejections()) {
            context.output(REJECTED, DeadLetter.newBuilder()
                    .setReason(rejection.reason())
                    .setStage(STAGE)
                    .setSourceTopic(record.topic)
                    .setSourcePartition(record.partition)
                    .setSourceOffset(record.offset)
                    .setOriginalKey(ByteBuffer.wrap(rejection.chunk().getCallId().getBytes(StandardCharsets.UTF_8)))
                    .setOriginalValue(ByteBuffer.wrap(codec.encode(rejection.chunk())))
                    .setFailedAtMs(System.currentTimeMillis())
                    .build());
        }
    }

    /** Keeps the state, and a timer while a missing chunk is awaited. */
    private void after(StreamState state, Context context) throws Exception {
        stream.update(state);
        if (!restorer.waiting(state) && gapTimer.value() != null) {
            // The gap filled: the next one gets its full wait.
            context.timerService().deleteProcessingTimeTimer(gapTimer.value());
            gapTimer.clear();
        }
        if (restorer.waiting(state) && gapTimer.value() == null) {
            long at = context.timerService().currentProcessingTime() + settings.maxWaitMs();
            context.timerService().registerProcessingTimeTimer(at);
            gapTimer.update(at);
            if (bounded) {
                // A finished bounded input fires every event-time timer (its final watermark), but drops
                // processing-time timers: without this, chunks behind a gap at the end would never go out.
                context.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            }
        }
    }
}
