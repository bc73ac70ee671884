package io.emostream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.segment.Utterance;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.kafka.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TaskManager dies mid-stream: the job restores from its last checkpoint on a new one, and the committed
 * output of the exactly-once sink holds every utterance exactly once, with the ids of a failure-free run.
 */
@Timeout(240)
class FailoverTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    private static final List<String> CALLS = List.of("call-a", "call-b", "call-c");

    @Test
    void afterATaskManagerFailsEveryUtteranceIsCommittedExactlyOnce(@InjectMiniCluster MiniCluster cluster) throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("ref-audio", 2).topic("ref-dead", 1)
                .topic("audio", 2).topic("events", 2).topic("dead", 1).start()) {
            Set<String> expected = referenceIds(kafka, speech);
            assertThat(expected).hasSizeGreaterThanOrEqualTo(CALLS.size());

            List<List<ProducerRecord<byte[], byte[]>>> calls = new ArrayList<>();
            for (String call : CALLS) {
                calls.add(FlinkKafkaTestKit.chunked("audio", call, SpeakerRole.CUSTOMER, "test:", speech));
            }
            produceHalf(kafka, calls, true);

            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            EmotionJob.build(env, JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead")
                    .withEventsTopic("events").withGroupId("failover").withGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .withCheckpointInterval(Duration.ofMillis(300)));
            JobClient job = env.executeAsync("failover test");
            try {
                awaitCompletedCheckpoint(cluster, job);

                cluster.terminateTaskManager(0).get();
                cluster.startTaskManager();
                produceHalf(kafka, calls, false);

                List<String> committed = committedIds(kafka.bootstrapServers(), expected);
                assertThat(new TreeSet<>(committed)).isEqualTo(new TreeSet<>(expected));
                assertThat(committed).as("no utterance committed twice").doesNotHaveDuplicates();
                assertThat(cluster.getExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                        .as("the job really failed over").isPositive();
            } finally {
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    job.getJobExecutionResult().get();
                } else {
                    job.cancel().get();
                }
            }
        }
    }

    /** The utterance ids a failure-free run cuts from the same three calls. */
    private static Set<String> referenceIds(EmbeddedKafka kafka, byte[] speech) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String call : CALLS) {
            records.addAll(FlinkKafkaTestKit.chunked("ref-audio", call, SpeakerRole.CUSTOMER, "test:", speech));
        }
        FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);
        Set<String> ids = new HashSet<>();
        JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics("ref-audio", "ref-dead")
                .withBounded(true).withGroupId("reference");
        try (CloseableIterator<Utterance> utterances = AudioPipeline.utterances(FlinkKafkaTestKit.environment(), config)
                .executeAndCollect()) {
            utterances.forEachRemaining(u -> ids.add(u.id()));
        }
        return ids;
    }

    private static void produceHalf(EmbeddedKafka kafka, List<List<ProducerRecord<byte[], byte[]>>> calls, boolean first)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> half = new ArrayList<>();
        for (List<ProducerRecord<byte[], byte[]>> call : calls) {
            int middle = call.size() / 2;
            half.addAll(first ? call.subList(0, middle) : call.subList(middle, call.size()));
        }
        FlinkKafkaTestKit.produce(kafka.bootstrapServers(), half);
    }

    /** A checkpoint holding part of every call; tasks refuse one until all of them are running. */
    private static void awaitCompletedCheckpoint(MiniCluster cluster, JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                cluster.triggerCheckpoint(job.getJobID()).get();
                return;
            } catch (ExecutionException notYet) {
                assertThat(System.nanoTime()).as("a checkpoint completed within 60 s: %s", notYet.getCause()).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /** Reads committed events until every expected id is there, then a little longer to catch duplicates. */
    private static List<String> committedIds(String bootstrap, Set<String> expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "committed-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, EmotionEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                AvroSerde.of(EmotionEvent.class).deserializer())) {
            consumer.subscribe(List.of("events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Long allSeenAt = null;
            while (System.nanoTime() < deadline && (allSeenAt == null || System.nanoTime() - allSeenAt < 3_000_000_000L)) {
                for (ConsumerRecord<String, EmotionEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(r.value().getUtteranceId());
                }
                if (allSeenAt == null && ids.containsAll(expected)) {
                    allSeenAt = System.nanoTime();
                }
            }
        }
        return ids;
    }
}
