package io.emostream.job;

import io.emostream.job.analysis.AnalyseUtterances;
import io.emostream.job.analysis.LabelledUtterance;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.segment.SegmentOperator;
import io.emostream.job.segment.Utterance;
import io.emostream.job.speechlm.AskSpeechLm;
import io.emostream.job.speechlm.SpeechLmSettings;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.StreamEnd;
import io.emostream.schema.flink.AvroRecordSchema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The emostream job, top to bottom: audio chunks → restored speaker streams → utterances (Silero VAD) →
 * speech recognition (when on) → cues, local model and rationale → the SpeechLM for the utterances the cascade
 * picks (when one is configured) → {@code emotion.events}, keyed by call id. Each speaker stream's end goes to
 * {@code streams.ended}; bad records go to the dead-letter topic.
 */
public final class EmotionJob {
    /** Utterances held by the recognition stage at once, per subtask. */
    private static final int ASR_IN_FLIGHT = 64;
    /** Room in the SpeechLM stage, per subtask, for utterances passing by while others wait for their answer. */
    private static final int SPEECHLM_PASSING = 256;

    private EmotionJob() {
    }

    public static DataStream<EmotionEvent> build(StreamExecutionEnvironment env, JobConfig config) {
        env.enableCheckpointing(config.checkpointInterval().toMillis());
        if (config.bounded()) {
            // Analysing files, a slow recogniser can hold a checkpoint barrier past its timeout; nobody resumes a
            // bounded run from a checkpoint, so a checkpoint that cannot finish is skipped rather than failing the run.
            env.getCheckpointConfig().setTolerableCheckpointFailureNumber(Integer.MAX_VALUE);
        }
        SingleOutputStreamOperator<Utterance> segmented = AudioPipeline.utterances(env, config);
        segmented.getSideOutput(SegmentOperator.STREAM_ENDS).sinkTo(streamEndSink(config))
                .uid("stream-ends").name("stream ends");
        DataStream<Utterance> utterances = segmented;
        if (config.asr().enabled()) {
            // Unordered: one slow recognition must not hold back the events behind it.
            utterances = AsyncDataStream.unorderedWait(utterances, new TranscribeUtterances(config.asr()),
                    config.asr().timeout().toMillis(), TimeUnit.MILLISECONDS, ASR_IN_FLIGHT)
                    .uid("transcribe-utterances").name("speech recognition")
                    .setBufferTimeout(AudioPipeline.UTTERANCE_BUFFER_TIMEOUT_MS);
        }
        EmotionModels.Spec model = EmotionModels.parse(config.model());
        SpeechLmSettings speechLm = model.speechLm();
        DataStream<LabelledUtterance> labelled = utterances
                .keyBy(utterance -> utterance.callId + "/" + utterance.channel)
                .transform("cues, model, rationale", TypeInformation.of(LabelledUtterance.class),
                        new AnalyseUtterances(model.local(), speechLm == null ? null : speechLm.policy(),
                                AnalyseUtterances.Batching.defaults(), config.analysis()))
                .uid("analyse-utterances");
        DataStream<EmotionEvent> events;
        if (speechLm == null) {
            events = labelled.map(utterance -> utterance.event).returns(EmotionEvent.class).uid("labelled-events").name("events");
        } else {
            // Unordered: an utterance the SpeechLM is asked about must not hold back those it is not.
            // Reading files, nobody waits live: every utterance waits its turn for the SpeechLM.
            AskSpeechLm ask = new AskSpeechLm(speechLm, config.bounded());
            events = AsyncDataStream.unorderedWait(labelled, ask, ask.flinkTimeoutMs(), TimeUnit.MILLISECONDS,
                    speechLm.concurrency() + SPEECHLM_PASSING).uid("ask-speechlm").name("SpeechLM (cascade)")
                    .map(AskSpeechLm.STAMP_EMIT_TIME).uid("stamp-emit-time").name("emit time");
        }
        events.sinkTo(eventSink(config)).uid("emotion-events").name("emotion events");
        return events;
    }

    /**
     * Flink's exactly-once sink asks Kafka for one-hour transactions, but brokers refuse more than their
     * {@code transaction.max.timeout.ms}, 15 minutes by default; a transaction spans one checkpoint interval plus
     * any restart, far less than that.
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /**
     * At least once whatever the events' guarantee: an end repeated after a restart says nothing new, and it is not
     * held back until a checkpoint. An end goes straight to its topic while the utterance cut at the end is still
     * being analysed (and, with exactly-once events, waits for a checkpoint), so readers usually see a stream end
     * before its last events; the Streams application takes those late events into the ended call.
     */
    private static KafkaSink<StreamEnd> streamEndSink(JobConfig config) {
        return KafkaSink.<StreamEnd>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(KafkaRecordSerializationSchema.<StreamEnd>builder()
                        .setTopic(config.streamEndsTopic())
                        .setKeySerializationSchema(end -> end.getCallId().getBytes(StandardCharsets.UTF_8))
                        .setValueSerializationSchema(new AvroRecordSchema<>(StreamEnd.class))
                        .build())
                .build();
    }

    private static KafkaSink<EmotionEvent> eventSink(JobConfig config) {
        return KafkaSink.<EmotionEvent>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setDeliveryGuarantee(config.guarantee())
                .setProperty("transaction.timeout.ms", Long.toString(TRANSACTION_TIMEOUT.toMillis()))
                .setTransactionalIdPrefix("emostream-events-" + config.groupId())
                .setRecordSerializer(KafkaRecordSerializationSchema.<EmotionEvent>builder()
                        .setTopic(config.eventsTopic())
                        .setKeySerializationSchema(event -> event.getCallId().getBytes(StandardCharsets.UTF_8))
                        .setValueSerializationSchema(new AvroRecordSchema<>(EmotionEvent.class))
                        .build())
                .build();
    }
}
