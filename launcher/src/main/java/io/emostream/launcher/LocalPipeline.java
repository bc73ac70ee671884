package io.emostream.launcher;

import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.job.EmotionJob;
import io.emostream.job.JobConfig;
import io.emostream.job.analysis.AnalysisSettings;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.Topics;
import io.emostream.schema.kafka.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The real pipeline in batch, inside this JVM: an embedded Kafka broker, recordings ingested into it, the emostream
 * Flink job on a local cluster reading them to their end (bounded), and the events it wrote read back. What
 * {@code analyze} and {@code evaluate} run.
 */
final class LocalPipeline implements AutoCloseable {
    private final EmbeddedKafka kafka;

    private LocalPipeline(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    static LocalPipeline start() {
        return new LocalPipeline(EmbeddedKafka.builder()
                .topic(Topics.AUDIO_CHUNKS, 4).topic(Topics.EMOTION_EVENTS, 4).topic(Topics.STREAM_ENDS, 4)
                .topic(Topics.DEAD_LETTER, 1).start());
    }

    /** Runs {@code work} with a publisher to this broker, and returns its result once every chunk was sent. */
    <T> T publish(Function<ChunkPublisher, T> work) {
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), Topics.AUDIO_CHUNKS))) {
            T result = work.apply(publisher);
            publisher.flush();
            return result;
        }
    }

    /** Runs {@code work} with a FileIngest writing to this broker, and returns its result once every chunk was sent. */
    <T> T ingest(FileIngest.Options options, Consumer<IngestOutcome> onOutcome, Function<FileIngest, T> work) {
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), Topics.AUDIO_CHUNKS))) {
            T result = work.apply(new FileIngest(publisher, options, onOutcome));
            publisher.flush();
            return result;
        }
    }

    /**
     * Runs the job over everything ingested so far, to its end, and returns its events deduplicated by utterance id.
     *
     * @param progress shown the events read so far after every poll of the sink topic (from this thread)
     */
    List<EmotionEvent> analyse(String jobName, TranscribeUtterances.Settings speech, String emotionModel,
            AnalysisSettings analysis, Consumer<Collection<EmotionEvent>> progress) throws Exception {
        StreamExecutionEnvironment env = LocalFlink.environment("none");
        JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withBounded(true).withGroupId("emostream-" + jobName)
                .withAsr(speech).withModel(emotionModel).withAnalysis(analysis);
        EmotionJob.build(env, config);
        // The local cluster shuts down with a bounded job, so its result is watched, not its status.
        CompletableFuture<JobExecutionResult> result = env.executeAsync("emostream " + jobName).getJobExecutionResult();

        Map<String, EmotionEvent> byId = new LinkedHashMap<>();
        Collection<EmotionEvent> seen = Collections.unmodifiableCollection(byId.values());
        Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<String, EmotionEvent> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                AvroSerde.of(EmotionEvent.class).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EMOTION_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = null;
            while (end == null || !reached(consumer, end)) {
                consumer.poll(Duration.ofMillis(250)).forEach(record -> byId.put(record.value().getUtteranceId(), record.value()));
                progress.accept(seen);
                if (end == null && result.isDone()) {
                    result.get();
                    // Everything the job wrote is in the topic now: read up to its end, no further.
                    end = consumer.endOffsets(partitions);
                }
            }
        }
        return new ArrayList<>(byId.values());
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        kafka.close();
    }
}
