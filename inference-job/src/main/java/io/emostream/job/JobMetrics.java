package io.emostream.job;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The job's own metrics, all in the operator group "emostream", so a Prometheus or JMX reporter shows them next
 * to Flink's (e.g. {@code flink_taskmanager_job_task_operator_emostream_utterances}).
 */
public final class JobMetrics {
    public static final String GROUP = "emostream";
    /** Records on the audio topic that are not readable chunks, sent to the dead-letter topic. */
    public static final String UNREADABLE_RECORDS = "unreadableRecords";
    /** Chunks refused by stream restoration (after their stream's end, or in another format). */
    public static final String REJECTED_CHUNKS = "rejectedChunks";
    public static final String DUPLICATE_CHUNKS = "duplicateChunks";
    /** Lost audio replaced with silence, in milliseconds. */
    public static final String BRIDGED_MS = "bridgedMs";
    public static final String VAD_FRAMES = "vadFrames";
    /** Frames per voice-activity model call: how well batching across streams works. */
    public static final String VAD_BATCH_SIZE = "vadBatchSize";
    public static final String UTTERANCES = "utterances";
    public static final String UTTERANCES_PER_SECOND = "utterancesPerSecond";
    /** Microseconds per emotion-model call. */
    public static final String MODEL_LATENCY_US = "modelLatencyUs";
    public static final String EVENTS = "events";
    /** Utterances per emotion-model call (batching across the subtask's speakers). */
    public static final String MODEL_BATCH_SIZE = "modelBatchSize";
    /** Utterances waiting for or in speech recognition. */
    public static final String ASR_BACKLOG = "asrBacklog";
    /** Milliseconds per recognition. */
    public static final String ASR_LATENCY_MS = "asrLatencyMs";
    /** Utterances sent on without a transcript because recognition was full or too slow. */
    public static final String ASR_OVERLOADED = "asrOverloaded";
    /** Utterances the SpeechLM answered about. */
    public static final String SPEECHLM_ANSWERED = "speechLmAnswered";
    /** Utterances the cascade asked about that kept the local result (timed out, failed, invalid, circuit open, over budget, busy). */
    public static final String SPEECHLM_FALLBACKS = "speechLmFallbacks";
    /** Milliseconds from asking the SpeechLM to its answer or the fallback. */
    public static final String SPEECHLM_LATENCY_MS = "speechLmLatencyMs";
    /** SpeechLM requests in flight. */
    public static final String SPEECHLM_IN_FLIGHT = "speechLmInFlight";

    private static final int HISTOGRAM_WINDOW = 1000;

    private JobMetrics() {
    }

    public static Counter counter(MetricGroup operator, String name) {
        return operator.addGroup(GROUP).counter(name);
    }

    public static Histogram histogram(MetricGroup operator, String name) {
        return operator.addGroup(GROUP).histogram(name, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    /** A counter and its per-second rate over the last minute. */
    public static Counter countedWithRate(MetricGroup operator, String name, String rateName) {
        Counter counter = counter(operator, name);
        operator.addGroup(GROUP).meter(rateName, new MeterView(counter));
        return counter;
    }
}
