package io.emostream.job.analysis;

import io.emostream.job.EmotionModels;
import io.emostream.job.JobMetrics;
import io.emostream.job.cues.SpeakerBaseline;
import io.emostream.job.domain.DomainProfile;
import io.emostream.job.lexical.LexicalAnalyzer;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.RunsOnGpu;
import io.emostream.job.policy.EmotionPolicy;
import io.emostream.job.phrases.PhraseRules;
import io.emostream.job.segment.Utterance;
import io.emostream.job.speechlm.AskPolicy;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.TranscriptStatus;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The Flink shell around {@link UtteranceAnalyzer}, keyed by speaker stream. Each utterance is measured against
 * its speaker's baseline (keyed state) as it arrives; the model then labels utterances of all the subtask's
 * speakers together, in batches of up to {@link Batching#maxUtterances()} or after {@link Batching#maxWaitMs()},
 * whichever comes first; a model that gains nothing from batches ({@link EmotionModel#gainsFromBatches()}, the
 * embedded estimator) labels each utterance at once. The batch is labelled before every checkpoint barrier and at
 * the end of input, so no utterance is held outside the checkpoint. The model is opened and closed with the operator; a GPU model opens on
 * the least used GPU of its TaskManager (Flink external resource "gpu"). When a SpeechLM
 * follows, the cascade's policy picks the utterances to ask it about here, and only theirs keep their audio.
 */
public final class AnalyseUtterances extends AbstractStreamOperator<LabelledUtterance>
        implements OneInputStreamOperator<Utterance, LabelledUtterance>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    /**
     * How long a speaker's baseline is kept after their last utterance. Keys are speaker streams of one call, so
     * without a limit state would grow with every call ever seen; an hour without a word means the call is over.
     */
    public static final Duration BASELINE_RETENTION = Duration.ofHours(1);

    /**
     * @param maxUtterances utterances waiting for the model that make it run at once (the model splits further by
     *                      its own maximum batch size)
     * @param maxWaitMs     longest an utterance waits for others to join its batch
     */
    public record Batching(int maxUtterances, long maxWaitMs) implements Serializable {
        public static Batching defaults() {
            return new Batching(32, 50);
        }

        public Batching {
            if (maxUtterances < 1 || maxWaitMs < 0) {
                throw new IllegalArgumentException("model batching needs maxUtterances >= 1 and maxWaitMs >= 0");
            }
        }
    }

    private final String modelName;
    private final AskPolicy askPolicy;
    private final Batching batching;
    private final AnalysisSettings analysis;
    /** Read where the job is built, so a bad file fails before it runs and task managers need no copy of it. */
    private final PhraseRules phraseRules;
    private transient EmotionModel model;
    /**
     * Utterances that make the model run at once: {@link Batching#maxUtterances()}, or 1 for a model that gains
     * nothing from batches.
     */
    private transient int batchLimit;
    /** The GPU this subtask's model runs on, or -1 when it runs on none. */
    private transient int gpu = -1;
    private transient UtteranceAnalyzer analyzer;
    private transient ValueState<SpeakerBaseline> baselines;
    private transient List<UtteranceAnalyzer.Prepared> waiting;
    private transient boolean flushScheduled;
    private transient Histogram modelBatchSize;
    private transient Counter events;

    /**
     * @param modelName the local model (see {@link EmotionModels})
     * @param askPolicy which utterances the SpeechLM after this operator is asked about; null when there is none
     */
    public AnalyseUtterances(String modelName, AskPolicy askPolicy, Batching batching, AnalysisSettings analysis) {
        this.modelName = modelName;
        this.askPolicy = askPolicy;
        this.batching = batching;
        this.analysis = analysis;
        // Checked here, so that a role or domain that does not exist fails the job's construction, not its tasks.
        EmotionPolicy.withholdingFor(analysis.noEmotionFor());
        if (analysis.domain() != null) {
            DomainProfile.named(analysis.domain());
        }
        this.phraseRules = PhraseRules.fileOrBundled(analysis.rulesFile());
    }

    @Override
    public void open() throws Exception {
        super.open();
        model = EmotionModels.create(modelName);
        if (model instanceof RunsOnGpu gpuModel) {
            List<String> gpus = getRuntimeContext().getExternalResourceInfos("gpu").stream()
                    .flatMap(gpu -> gpu.getProperty("index").stream()).toList();
            gpu = RunsOnGpu.Share.JVM.take(gpus);
            gpuModel.useGpu(gpu);
        }
        model.open();
        batchLimit = model.gainsFromBatches() ? batching.maxUtterances() : 1;
        Histogram modelLatencyUs = JobMetrics.histogram(getMetricGroup(), JobMetrics.MODEL_LATENCY_US);
        modelBatchSize = JobMetrics.histogram(getMetricGroup(), JobMetrics.MODEL_BATCH_SIZE);
        analyzer = new UtteranceAnalyzer(model, LexicalAnalyzer.load(phraseRules), analysis, modelLatencyUs::update);
        ValueStateDescriptor<SpeakerBaseline> baseline = new ValueStateDescriptor<>("speaker-baseline", SpeakerBaseline.class);
        baseline.enableTimeToLive(StateTtlConfig.newBuilder(BASELINE_RETENTION)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        baselines = getPartitionedState(baseline);
        waiting = new ArrayList<>();
        events = JobMetrics.counter(getMetricGroup(), JobMetrics.EVENTS);
    }

    @Override
    public void processElement(StreamRecord<Utterance> element) throws Exception {
        Utterance utterance = element.getValue();
        // A speaker whose emotion is withheld is not compared with their past, so no baseline is kept for them.
        SpeakerBaseline baseline = !analyzer.analysesEmotionOf(utterance) ? null
                : baselines.value() == null ? new SpeakerBaseline() : baselines.value();
        waiting.add(analyzer.prepare(utterance, baseline, utterance.transcript, TranscriptStatus.valueOf(utterance.transcriptStatus)));
        if (baseline != null) {
            baselines.update(baseline);
        }
        if (waiting.size() >= batchLimit) {
            labelWaiting();
        } else if (!flushScheduled) {
            flushScheduled = true;
            long at = getProcessingTimeService().getCurrentProcessingTime() + batching.maxWaitMs();
            getProcessingTimeService().registerTimer(at, time -> labelWaiting());
        }
    }

    private void labelWaiting() throws Exception {
        flushScheduled = false;
        if (waiting.isEmpty()) {
            return;
        }
        List<UtteranceAnalyzer.Prepared> batch = waiting;
        waiting = new ArrayList<>();
        modelBatchSize.update(batch.size());
        List<EmotionEvent> labelled = analyzer.finish(batch);
        for (int i = 0; i < batch.size(); i++) {
            EmotionEvent event = labelled.get(i);
            String reason = askPolicy == null ? null : askPolicy.reason(event);
            events.inc();
            output.collect(new StreamRecord<>(new LabelledUtterance(event, reason,
                    reason == null ? null : batch.get(i).utterance().samples)));
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        labelWaiting();
    }

    @Override
    public void endInput() throws Exception {
        labelWaiting();
    }

    @Override
    public void close() throws Exception {
        if (model != null) {
            model.close();
        }
        if (gpu >= 0) {
            RunsOnGpu.Share.JVM.give(gpu);
            gpu = -1;
        }
        super.close();
    }
}
