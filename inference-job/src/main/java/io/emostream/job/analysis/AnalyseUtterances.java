package io.emostream.job.analysis;

import io.emostream.job.EmotionModels;
import io.emostream.job.JobMetrics;
import io.emostream.job.cues.SpeakerBaseline;
import io.emostream.job.lexical.LexicalAnalyzer;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.segment.Utterance;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.TranscriptStatus;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The Flink shell around {@link UtteranceAnalyzer}, keyed by speaker stream: each speaker's baseline lives in
 * keyed state, the model is opened and closed with the operator. The transcript, if any, comes from the
 * speech-recognition stage before it.
 */
public final class AnalyseUtterances extends KeyedProcessFunction<String, Utterance, EmotionEvent> {
    private static final long serialVersionUID = 1L;
    /**
     * How long a speaker's baseline is kept after their last utterance. Keys are speaker streams of one call, so
     * without a limit state would grow with every call ever seen; an hour without a word means the call is over.
     */
    public static final Duration BASELINE_RETENTION = Duration.ofHours(1);

    private final String modelName;
    private transient EmotionModel model;
    private transient UtteranceAnalyzer analyzer;
    private transient ValueState<SpeakerBaseline> baselines;
    private transient Histogram modelLatencyUs;
    private transient Counter events;

    public AnalyseUtterances(String modelName) {
        this.modelName = modelName;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        model = EmotionModels.create(modelName);
        model.open();
        modelLatencyUs = JobMetrics.histogram(getRuntimeContext().getMetricGroup(), JobMetrics.MODEL_LATENCY_US);
        analyzer = new UtteranceAnalyzer(model, LexicalAnalyzer.load(), modelLatencyUs::update);
        ValueStateDescriptor<SpeakerBaseline> baseline = new ValueStateDescriptor<>("speaker-baseline", SpeakerBaseline.class);
        baseline.enableTimeToLive(StateTtlConfig.newBuilder(BASELINE_RETENTION)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        baselines = getRuntimeContext().getState(baseline);
        events = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.EVENTS);
    }

    @Override
    public void processElement(Utterance utterance, Context context, Collector<EmotionEvent> out) throws Exception {
        SpeakerBaseline baseline = baselines.value() == null ? new SpeakerBaseline() : baselines.value();
        EmotionEvent event = analyzer.analyse(utterance, baseline, utterance.transcript,
                TranscriptStatus.valueOf(utterance.transcriptStatus));
        events.inc();
        out.collect(event);
        baselines.update(baseline);
    }

    @Override
    public void close() throws Exception {
        if (model != null) {
            model.close();
        }
        super.close();
    }
}
