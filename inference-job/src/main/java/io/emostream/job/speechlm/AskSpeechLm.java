package io.emostream.job.speechlm;

import io.emostream.job.JobMetrics;
import io.emostream.job.analysis.LabelledUtterance;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeechLmStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The cascade's second step, as Flink async I/O: the utterances the policy picked are put to the SpeechLM, the
 * others pass straight through. Every utterance leaves within the SpeechLM's time limit, answered or with the
 * local result marked as a fallback, so a slow or dead server never holds the stream up.
 */
public final class AskSpeechLm extends RichAsyncFunction<LabelledUtterance, EmotionEvent> {
    /** The event leaves the job when it leaves this stage: its emit time is stamped then, by this function. */
    public static final MapFunction<EmotionEvent, EmotionEvent> STAMP_EMIT_TIME = event -> {
        event.setEmitTimeMs(System.currentTimeMillis());
        return event;
    };
    private static final long serialVersionUID = 1L;

    /** A patient utterance still gives up after this, so that a job can never wait for ever. */
    private static final Duration PATIENT_LIMIT = Duration.ofHours(1);

    private final SpeechLmSettings settings;
    private final boolean patient;
    private transient SpeechLmClient client;
    private transient Counter answered;
    private transient Counter fallbacks;
    private transient Histogram latencyMs;

    /**
     * @param patient for bounded runs: an utterance over the concurrency limit or the budget waits its turn (see
     *                {@link SpeechLmClient#askPatiently}) instead of keeping the local result at once
     */
    public AskSpeechLm(SpeechLmSettings settings, boolean patient) {
        this.settings = settings;
        this.patient = patient;
    }

    /**
     * How long Flink should wait for one utterance: a margin beyond the client's own deadline, which comes first;
     * for a patient stage, as long as the turns ahead of it may take too.
     */
    public long flinkTimeoutMs() {
        return patient ? PATIENT_LIMIT.toMillis() : settings.timeout().toMillis() + 5_000;
    }


    @Override
    public void open(OpenContext context) {
        int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        client = new SpeechLmClient(settings, settings.perSecond() / subtasks, System.getenv(SpeechLmSettings.API_KEY_VARIABLE));
        var metrics = getRuntimeContext().getMetricGroup();
        answered = JobMetrics.counter(metrics, JobMetrics.SPEECHLM_ANSWERED);
        fallbacks = JobMetrics.counter(metrics, JobMetrics.SPEECHLM_FALLBACKS);
        latencyMs = JobMetrics.histogram(metrics, JobMetrics.SPEECHLM_LATENCY_MS);
        metrics.addGroup(JobMetrics.GROUP).gauge(JobMetrics.SPEECHLM_IN_FLIGHT, (Gauge<Integer>) client::inFlight);
    }

    @Override
    public void asyncInvoke(LabelledUtterance labelled, ResultFuture<EmotionEvent> result) {
        EmotionEvent event = labelled.event;
        if (labelled.askReason == null) {
            result.complete(List.of(event));
            return;
        }
        Question question = new Question(event.getUtteranceId(), labelled.samples, event.getCues(), event.getTranscript(),
                new ArrayList<>(event.getScores().keySet()));
        (patient ? client.askPatiently(question) : client.ask(question)).whenComplete((outcome, error) -> {
            if (error != null) {
                // The client never fails its future; if it did, that is our bug, and the job should say so at once.
                result.completeExceptionally(error);
                return;
            }
            (outcome.status() == SpeechLmStatus.ANSWERED ? answered : fallbacks).inc();
            latencyMs.update(outcome.latencyMs());
            try {
                result.complete(List.of(CascadeMerge.merge(event, labelled.askReason, outcome, client.id())));
            } catch (RuntimeException bug) {
                result.completeExceptionally(bug);
            }
        });
    }

    @Override
    public void timeout(LabelledUtterance labelled, ResultFuture<EmotionEvent> result) {
        if (labelled.askReason == null) {
            result.complete(List.of(labelled.event));
            return;
        }
        fallbacks.inc();
        result.complete(List.of(CascadeMerge.merge(labelled.event, labelled.askReason,
                Outcome.fallback(SpeechLmStatus.TIMED_OUT, 0, flinkTimeoutMs(), "Flink's async time limit passed"),
                client.id())));
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
