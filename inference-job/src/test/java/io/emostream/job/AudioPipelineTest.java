package io.emostream.job;

import static io.emostream.job.FlinkKafkaTestKit.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.stream.AudioBlock;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.DeadLetter;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.kafka.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The front of the job on a real Flink MiniCluster reading a real broker. */
@Timeout(180)
class AudioPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    private static final int CHUNK = 1600;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static AudioChunk pcm(String call, long sequence, boolean end) {
        ByteBuffer payload = ByteBuffer.allocate(CHUNK * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < CHUNK; i++) {
            payload.putShort((short) (sequence * CHUNK + i));
        }
        payload.flip();
        return AudioChunk.newBuilder().setCallId(call).setChannel(0).setRole(SpeakerRole.CUSTOMER).setSequence(sequence)
                .setFirstSample(sequence * CHUNK).setCaptureTimeMs(0).setIngestTimeMs(0).setSampleRate(16000)
                .setEncoding(AudioEncoding.PCM_S16LE).setPayload(payload).setEndOfStream(end).setSource("test:").build();
    }

    private static AudioChunk mulaw(String call, int channel, long sequence, boolean end) {
        byte[] payload = new byte[800];
        java.util.Arrays.fill(payload, (byte) (channel == 0 ? 0x10 : 0x90));
        return AudioChunk.newBuilder().setCallId(call).setChannel(channel).setRole(channel == 0 ? SpeakerRole.AGENT : SpeakerRole.CUSTOMER)
                .setSequence(sequence).setFirstSample(sequence * 800).setCaptureTimeMs(0).setIngestTimeMs(0).setSampleRate(8000)
                .setEncoding(AudioEncoding.MULAW).setPayload(ByteBuffer.wrap(payload)).setEndOfStream(end).setSource("test:").build();
    }

    private static List<AudioBlock> of(List<AudioBlock> blocks, String call, int channel) {
        return blocks.stream().filter(b -> b.callId.equals(call) && b.channel == channel)
                .sorted(Comparator.comparingLong(b -> b.startSample)).toList();
    }

    private static float[] joined(List<AudioBlock> blocks) {
        int n = blocks.stream().mapToInt(b -> b.samples.length).sum();
        float[] all = new float[n];
        int at = 0;
        for (AudioBlock block : blocks) {
            assertThat(block.startSample).isEqualTo(at);
            System.arraycopy(block.samples, 0, all, at, block.samples.length);
            at += block.samples.length;
        }
        return all;
    }

    @Test
    void restoresEverySpeakerStreamAndKeepsWhatItCannotUseInTheDeadLetterTopic() throws Exception {
        String audio = "audio-bounded";
        String dlq = "dead-bounded";
        kafka.createTopics(2, audio, dlq);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (long seq : new long[] {1, 0, 0, 3, 2}) {
            records.add(record(audio, pcm("call-a", seq, false)));
        }
        records.add(record(audio, pcm("call-a", 4, true)));
        records.add(record(audio, pcm("call-a", 5, false)));
        for (long seq = 0; seq < 3; seq++) {
            records.add(record(audio, mulaw("call-b", 0, seq, seq == 2)));
            records.add(record(audio, mulaw("call-b", 1, seq, seq == 2)));
        }
        records.add(new ProducerRecord<>(audio, "junk".getBytes(StandardCharsets.UTF_8), "not audio".getBytes(StandardCharsets.UTF_8)));
        FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);

        StreamExecutionEnvironment env = FlinkKafkaTestKit.environment();
        JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics(audio, dlq).withBounded(true)
                .withGroupId("bounded-test");
        List<AudioBlock> blocks = new ArrayList<>();
        try (CloseableIterator<AudioBlock> results = AudioPipeline.restoredAudio(env, config).executeAndCollect()) {
            results.forEachRemaining(blocks::add);
        }

        float[] callA = joined(of(blocks, "call-a", 0));
        assertThat(callA).hasSize(5 * CHUNK);
        for (int i = 0; i < callA.length; i++) {
            assertThat(callA[i]).isEqualTo((short) i / 32768f);
        }
        assertThat(of(blocks, "call-a", 0)).last().matches(b -> b.endOfStream);
        assertThat(joined(of(blocks, "call-b", 0))).as("3 x 100 ms of 8 kHz as 16 kHz").hasSize(4800);
        assertThat(of(blocks, "call-b", 1)).allMatch(b -> b.role.equals("CUSTOMER"));

        List<DeadLetter> letters = deadLetters(dlq, 2);
        assertThat(letters).extracting(DeadLetter::getStage)
                .containsExactlyInAnyOrder("inference-job/decode", "inference-job/restore");
        DeadLetter junk = letters.stream().filter(l -> l.getStage().equals("inference-job/decode")).findFirst().orElseThrow();
        assertThat(junk.getReason()).contains("lacks Avro's single-object marker");
        assertThat(StandardCharsets.UTF_8.decode(junk.getOriginalValue()).toString()).isEqualTo("not audio");
        assertThat(junk.getSourceTopic()).isEqualTo(audio);
        DeadLetter late = letters.stream().filter(l -> l.getStage().equals("inference-job/restore")).findFirst().orElseThrow();
        assertThat(late.getReason()).startsWith("chunk 5 of call call-a channel 0 arrived after the end of its stream");
        assertThat(StandardCharsets.UTF_8.decode(late.getOriginalKey()).toString()).isEqualTo("call-a");
    }

    @Test
    void aChunkThatNeverArrivesIsBridgedAfterTheWaitOnALiveStream() throws Exception {
        String audio = "audio-live";
        String dlq = "dead-live";
        kafka.createTopics(1, audio, dlq);
        FlinkKafkaTestKit.produce(kafka.bootstrapServers(), List.of(record(audio, pcm("call-c", 0, false)), record(audio, pcm("call-c", 2, true))));

        StreamExecutionEnvironment env = FlinkKafkaTestKit.environment();
        JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics(audio, dlq).withGroupId("live-test");
        List<AudioBlock> blocks = new ArrayList<>();
        try (CloseableIterator<AudioBlock> results = AudioPipeline.restoredAudio(env, config).executeAndCollect()) {
            while (blocks.stream().noneMatch(b -> b.endOfStream)) {
                blocks.add(results.next());
            }
        }

        float[] callC = joined(of(blocks, "call-c", 0));
        assertThat(callC).hasSize(3 * CHUNK);
        assertThat(java.util.Arrays.copyOfRange(callC, CHUNK, 2 * CHUNK)).containsOnly(0f);
        assertThat(blocks).filteredOn(b -> b.bridgedSamples > 0).singleElement()
                .satisfies(b -> assertThat(b.bridgedSamples).isEqualTo(CHUNK));
    }

    private static List<DeadLetter> deadLetters(String topic, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], DeadLetter> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                AvroSerde.of(DeadLetter.class).deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], DeadLetter> r : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(r.value());
                }
            }
        }
        return letters;
    }
}
