package io.emostream.job;

import io.emostream.job.source.ChunkDeserializer;
import io.emostream.job.source.SourceRecord;
import io.emostream.job.source.SplitUnreadable;
import io.emostream.job.segment.SegmentOperator;
import io.emostream.job.segment.Utterance;
import io.emostream.job.stream.AudioBlock;
import io.emostream.job.stream.StreamRestoreFunction;
import io.emostream.schema.DeadLetter;
import io.emostream.schema.flink.AvroRecordSchema;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The front of the job, read top to bottom: audio chunks from Kafka → unreadable records to the dead-letter
 * topic → keyed by speaker stream → restored to ordered 16 kHz audio (rejected chunks to the dead-letter topic)
 * → cut into utterances by the voice-activity model. No record ever fails the job.
 */
public final class AudioPipeline {
    /** The Kafka source's name; Flink shows it as "Source: audio chunks" in the job's graph and its metrics. */
    public static final String SOURCE_NAME = "audio chunks";

    /**
     * Utterances leave an operator as soon as they are written (Flink's default holds the last, partly filled
     * network buffer up to 100 ms). An utterance is a few hundred kilobytes of audio, and a subtask writes a few
     * dozen a second, so waiting buys no throughput, only latency: at 100 streams it was a third of the time from
     * the VAD's decision to a readable event. Audio blocks keep Flink's default: they are small and many.
     */
    public static final long UTTERANCE_BUFFER_TIMEOUT_MS = 0;

    private static final OutputTag<DeadLetter> UNREADABLE = new OutputTag<>("unreadable-records") { };

    private AudioPipeline() {
    }

    /** Utterances, with each ended stream's {@link SegmentOperator#STREAM_ENDS} as a side output. */
    public static SingleOutputStreamOperator<Utterance> utterances(StreamExecutionEnvironment env, JobConfig config) {
        return restoredAudio(env, config)
                .keyBy(block -> block.callId + "/" + block.channel)
                .transform("segment utterances", TypeInformation.of(Utterance.class),
                        new SegmentOperator(config.segmentation(), config.batching()))
                .uid("segment-utterances")
                .setBufferTimeout(UTTERANCE_BUFFER_TIMEOUT_MS);
    }

    public static DataStream<AudioBlock> restoredAudio(StreamExecutionEnvironment env, JobConfig config) {
        DataStream<SourceRecord> records = env.fromSource(audioSource(config), WatermarkStrategy.noWatermarks(),
                SOURCE_NAME).uid("audio-source");

        SingleOutputStreamOperator<SourceRecord> chunks = records
                .process(new SplitUnreadable(UNREADABLE)).uid("split-unreadable").name("split unreadable records");

        SingleOutputStreamOperator<AudioBlock> audio = chunks
                .keyBy(SourceRecord::streamKey)
                .process(new StreamRestoreFunction(config.restore(), config.bounded())).uid("restore-streams").name("restore speaker streams");

        KafkaSink<DeadLetter> deadLetters = deadLetterSink(config);
        chunks.getSideOutput(UNREADABLE).sinkTo(deadLetters).uid("dead-letters-unreadable").name("dead letters: unreadable");
        audio.getSideOutput(StreamRestoreFunction.REJECTED).sinkTo(deadLetters).uid("dead-letters-rejected")
                .name("dead letters: rejected chunks");
        return audio;
    }

    // The connector's committedOffsets takes only Kafka's deprecated OffsetResetStrategy.
    @SuppressWarnings("deprecation")
    private static KafkaSource<SourceRecord> audioSource(JobConfig config) {
        var builder = KafkaSource.<SourceRecord>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.audioTopic())
                .setGroupId(config.groupId())
                // A restarted job resumes from its checkpoint; a new one starts from the group's committed offsets,
                // or from the beginning of the topic.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ChunkDeserializer());
        if (config.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    private static KafkaSink<DeadLetter> deadLetterSink(JobConfig config) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(KafkaRecordSerializationSchema.<DeadLetter>builder()
                        .setTopic(config.deadLetterTopic())
                        .setKeySerializationSchema(letter -> letter.getOriginalKey() == null ? null : bytes(letter))
                        .setValueSerializationSchema(new AvroRecordSchema<>(DeadLetter.class))
                        .build())
                .build();
    }

    private static byte[] bytes(DeadLetter letter) {
        byte[] key = new byte[letter.getOriginalKey().remaining()];
        letter.getOriginalKey().duplicate().get(key);
        return key;
    }
}
