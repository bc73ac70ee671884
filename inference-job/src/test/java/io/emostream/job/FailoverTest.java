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
 * A TaskManager dies with events written but not yet committed: the job restores from its last checkpoint on a
 * new one, redoes that work, and the committed output of the exactly-once sink holds every utterance exactly
 * once, with the ids of a failure-free run.
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
                .topic("audio", 2).topic("events", 2).topic("ends", 1).topic("dead", 1).start()) {
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
            // Checkpoints only when the test asks: work done after one stays uncommitted until the next.
            EmotionJob.build(env, JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead")
                    .withEventsTopic("events").withStreamEndsTopic("ends").withGroupId("failover").withGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .withCheckpointInterval(Duration.ofHours(1)));
            JobClient job = env.executeAsync("failover test");
            try {
                checkpoint(cluster, job);
                int committedBefore = readIds(kafka.bootstrapServers(), "read_committed", Duration.ofSeconds(2)).size();
                produceHalf(kafka, calls, false);
                awaitUncommittedBeyond(kafka.bootstrapServers(), committedBefore);

                cluster.terminateTaskManager(0).get();
                cluster.startTaskManager();

                List<String> committed = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (!committed.containsAll(expected) && System.nanoTime() < deadline) {
                    checkpoint(cluster, job);
                    committed = readIds(kafka.bootstrapServers(), "read_committed", Duration.ofSeconds(2));
                }
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

    /** Takes a checkpoint, retrying while tasks are still starting (they refuse one until all run). */
    private static void checkpoint(MiniCluster cluster, JobClient job) throws Exception {
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

    /** Waits until events written since the last checkpoint exist, uncommitted: the failure must cost work. */
    private static void awaitUncommittedBeyond(String bootstrap, int committed) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (readIds(bootstrap, "read_uncommitted", Duration.ofSeconds(1)).size() <= committed) {
            assertThat(System.nanoTime()).as("uncommitted events within 60 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Every event id on the topic as a consumer at this isolation level sees it, read until quiet. */
    private static List<String> readIds(String bootstrap, String isolation, Duration quiet) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, EmotionEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                AvroSerde.of(EmotionEvent.class).deserializer())) {
            consumer.subscribe(List.of("events"));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < quiet.toNanos()) {
                for (ConsumerRecord<String, EmotionEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(r.value().getUtteranceId());
                    quietSince = System.nanoTime();
                }
            }
        }
        return ids;
    }
}
