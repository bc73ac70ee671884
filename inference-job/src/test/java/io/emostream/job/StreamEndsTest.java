package io.emostream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.segment.SegmentOperator;
import io.emostream.job.segment.SegmentationRules;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.StreamEnd;
import io.emostream.schema.StreamEndReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job says when each speaker stream ends, and why, so readers can tell when a whole call has. */
@Timeout(120)
class StreamEndsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void everyChannelOfACallSaysWhereItEndedWithTheCallsChannelCount() throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        byte[] twoSeconds = Arrays.copyOf(speech, 2 * 16_000 * 2);
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 2).topic("dead", 1).start()) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(FlinkKafkaTestKit.chunked("audio", "call-9", 0, 2,
                    SpeakerRole.AGENT, "file:call-9.wav", speech, "sam", "billing"));
            records.addAll(FlinkKafkaTestKit.chunked("audio", "call-9", 1, 2, SpeakerRole.CUSTOMER, "file:call-9.wav",
                    twoSeconds, null, "billing"));
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);

            JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead").withBounded(true)
                    .withGroupId("ends-test");
            List<StreamEnd> ends = collectEnds(config, Integer.MAX_VALUE);

            assertThat(ends).hasSize(2);
            ends.sort(Comparator.comparingInt(StreamEnd::getChannel));
            StreamEnd agent = ends.get(0);
            assertThat(agent.getCallId()).isEqualTo("call-9");
            assertThat(agent.getRole()).isEqualTo(SpeakerRole.AGENT);
            assertThat(agent.getSpeaker()).isEqualTo("sam");
            assertThat(agent.getSeries()).isEqualTo("billing");
            assertThat(agent.getSource()).isEqualTo("file:call-9.wav");
            assertThat(agent.getChannels()).isEqualTo(2);
            assertThat(agent.getReason()).isEqualTo(StreamEndReason.END_OF_STREAM);
            assertThat(agent.getEndMs()).isEqualTo(speech.length / 2 / 16);
            StreamEnd customer = ends.get(1);
            assertThat(customer.getRole()).isEqualTo(SpeakerRole.CUSTOMER);
            assertThat(customer.getSpeaker()).isNull();
            assertThat(customer.getReason()).isEqualTo(StreamEndReason.END_OF_STREAM);
            assertThat(customer.getEndMs()).isEqualTo(2000);
            assertThat(customer.getEndTimeMs()).isGreaterThan(0);
        }
    }

    @Test
    void aStreamThatStopsWithoutItsEndMarkerEndsWhenItHasBeenIdleForTheTimeout() throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 1).topic("dead", 1).start()) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(FlinkKafkaTestKit.chunked("audio", "dropped", 0,
                    null, SpeakerRole.CUSTOMER, "ws:test", speech, null, null));
            // The connection dropped: the last chunk, with the end-of-stream marker, never came.
            records.remove(records.size() - 1);
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);
            long sentSamples = (long) (records.size()) * 1600;

            JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead")
                    .withGroupId("idle-ends").withSegmentation(SegmentationRules.defaults().withIdleTimeoutMs(1500));
            long before = System.currentTimeMillis();
            List<StreamEnd> ends = collectEnds(config, 1);

            assertThat(ends).hasSize(1);
            assertThat(ends.get(0).getReason()).isEqualTo(StreamEndReason.IDLE);
            assertThat(ends.get(0).getChannels()).as("the producer did not say").isNull();
            assertThat(ends.get(0).getEndMs()).isEqualTo(sentSamples / 16);
            assertThat(ends.get(0).getEndTimeMs()).isGreaterThanOrEqualTo(before + 1500);
        }
    }

    @Test
    void theEndOfABoundedRunIsNotTheEndOfItsStreams() throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 1).topic("dead", 1).start()) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(FlinkKafkaTestKit.chunked("audio", "still-open",
                    SpeakerRole.HOST, "file:a.wav", speech));
            records.remove(records.size() - 1);
            records.addAll(FlinkKafkaTestKit.chunked("audio", "closed", SpeakerRole.HOST, "file:b.wav", speech));
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);

            JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead").withBounded(true)
                    .withGroupId("bounded-ends");

            assertThat(collectEnds(config, Integer.MAX_VALUE)).as("only the stream that sent its end marker")
                    .extracting(StreamEnd::getCallId).containsExactly("closed");
        }
    }

    /** The stream ends the segmentation stage writes, until {@code count} have come or a bounded run finishes. */
    private static List<StreamEnd> collectEnds(JobConfig config, int count) throws Exception {
        List<StreamEnd> ends = new ArrayList<>();
        try (CloseableIterator<StreamEnd> results = AudioPipeline.utterances(FlinkKafkaTestKit.environment(), config)
                .getSideOutput(SegmentOperator.STREAM_ENDS).executeAndCollect()) {
            while (ends.size() < count && results.hasNext()) {
                ends.add(results.next());
            }
        }
        return ends;
    }
}
