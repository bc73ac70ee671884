package io.emostream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.SpeakerRole;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job's metrics, read from a real run through a reporter that keeps them in memory. */
@Timeout(180)
class JobMetricsTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void countsWhatTheJobDidAndHowWellItBatched() throws Exception {
        List<ProducerRecord<byte[], byte[]>> chunks = FlinkKafkaTestKit.chunked("audio", "show-9", SpeakerRole.GUEST, "test:",
                FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav"));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(chunks);
        records.remove(5);
        records.add(10, chunks.get(10));
        records.add(new ProducerRecord<>("audio", "junk".getBytes(StandardCharsets.UTF_8), "not audio".getBytes(StandardCharsets.UTF_8)));

        JobID job;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 2).topic("events", 2).topic("ends", 1).topic("dead", 1).start()) {
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);
            var env = FlinkKafkaTestKit.environment();
            EmotionJob.build(env, JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead")
                    .withEventsTopic("events").withStreamEndsTopic("ends").withBounded(true).withGroupId("metrics-test"));
            job = env.execute("metrics test").getJobID();
        }

        assertThat(sum(job, JobMetrics.UNREADABLE_RECORDS)).isEqualTo(1);
        assertThat(sum(job, JobMetrics.DUPLICATE_CHUNKS)).isEqualTo(1);
        assertThat(sum(job, JobMetrics.BRIDGED_MS)).as("one 100 ms chunk lost").isEqualTo(100);
        assertThat(sum(job, JobMetrics.REJECTED_CHUNKS)).isZero();
        assertThat(sum(job, JobMetrics.VAD_FRAMES)).as("4.36 s in 32 ms frames").isBetween(130L, 137L);
        long utterances = sum(job, JobMetrics.UTTERANCES);
        assertThat(utterances).isPositive();
        assertThat(sum(job, JobMetrics.EVENTS)).isEqualTo(utterances);
        assertThat(histograms(job, JobMetrics.VAD_BATCH_SIZE).stream().mapToLong(Histogram::getCount).sum()).isPositive();
        // One latency per model call; the calls' batch sizes add up to every utterance.
        long modelCalls = histograms(job, JobMetrics.MODEL_LATENCY_US).stream().mapToLong(Histogram::getCount).sum();
        List<Histogram> batchSizes = histograms(job, JobMetrics.MODEL_BATCH_SIZE);
        assertThat(batchSizes.stream().mapToLong(Histogram::getCount).sum()).isEqualTo(modelCalls).isPositive();
        assertThat(batchSizes.stream().filter(h -> h.getCount() > 0).mapToDouble(h -> h.getStatistics().getMean() * h.getCount()).sum())
                .isCloseTo(utterances, org.assertj.core.api.Assertions.within(1e-9));
    }

    private static long sum(JobID job, String name) {
        return metrics(job, name).values().stream().filter(Counter.class::isInstance)
                .mapToLong(m -> ((Counter) m).getCount()).sum();
    }

    private static List<Histogram> histograms(JobID job, String name) {
        return metrics(job, name).values().stream().filter(Histogram.class::isInstance).map(Histogram.class::cast).toList();
    }

    private static Map<String, Metric> metrics(JobID job, String name) {
        Map<String, Metric> found = REPORTER.findMetrics(job, JobMetrics.GROUP + "." + name);
        assertThat(found).as("metric %s was registered", name).isNotEmpty();
        return found;
    }
}
