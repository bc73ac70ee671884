package io.emostream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.model.CueReading;
import io.emostream.job.rationale.GroundingCheck;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.StreamEnd;
import io.emostream.schema.StreamEndReason;
import io.emostream.schema.TranscriptStatus;
import io.emostream.schema.kafka.AvroSerde;
import io.emostream.testkit.TinyWhisperModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole job: real speech in audio.chunks becomes EmotionEvents on emotion.events. */
@Timeout(180)
class EmotionJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void everyUtteranceOfRealSpeechBecomesAGroundedEvent() throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 2).topic("events", 2).topic("ends", 1).topic("dead", 1).start()) {
            List<ProducerRecord<byte[], byte[]>> records =
                    FlinkKafkaTestKit.chunked("audio", "show-7", SpeakerRole.HOST, "file:podcast.wav", speech, "dana", "robot-kitchen");
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);

            JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead")
                    .withEventsTopic("events").withStreamEndsTopic("ends").withBounded(true).withGroupId("job-test");
            var env = FlinkKafkaTestKit.environment();
            EmotionJob.build(env, config);
            env.execute("emotion job test");

            List<EmotionEvent> events = read(kafka.bootstrapServers(), "events");
            assertThat(events).isNotEmpty();
            for (EmotionEvent event : events) {
                assertThat(event.getUtteranceId()).isEqualTo("show-7/0/" + event.getStartMs() * 16);
                assertThat(event.getRole()).isEqualTo(SpeakerRole.HOST);
                assertThat(event.getSource()).isEqualTo("file:podcast.wav");
                assertThat(event.getSpeaker()).isEqualTo("dana");
                assertThat(event.getSeries()).isEqualTo("robot-kitchen");
                assertThat(event.getEndMs()).isGreaterThan(event.getStartMs());
                assertThat(event.getScores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
                assertThat(event.getScores()).containsKey(event.getLabel());
                assertThat(event.getArousal()).isBetween(-1.0, 1.0);
                assertThat(event.getModelId()).isEqualTo("cue-estimator/1");
                assertThat(event.getFieldSources()).containsExactlyInAnyOrderEntriesOf(Map.of("label", "cue-estimator/1",
                        "scores", "cue-estimator/1", "arousal", "cue-estimator/1", "valence", "cue-estimator/1",
                        "confidence", "cue-estimator/1", "rationale", "rationale-writer/1"));
                assertThat(event.getSpeechLm()).as("no SpeechLM configured").isNull();
                assertThat(event.getTranscriptStatus()).isEqualTo(TranscriptStatus.ASR_OFF);
                assertThat(event.getTranscript()).isNull();
                assertThat(event.getCues()).extracting(c -> c.getName()).contains("pitch_mean_hz", "loudness_dbfs");
                assertThat(event.getLastChunkIngestTimeMs()).isGreaterThanOrEqualTo(1000);
                assertThat(event.getEmitTimeMs()).isGreaterThanOrEqualTo(event.getVadEndTimeMs());
                List<CueReading> cues = event.getCues().stream()
                        .map(c -> new CueReading(c.getName(), c.getValue(), c.getUnit(), c.getZScore(), null)).toList();
                assertThat(GroundingCheck.check(event.getRationale(), cues).contradictions())
                        .as("rationale '%s'", event.getRationale()).isEmpty();
                assertThat(event.getRationaleContradictions()).isEmpty();
            }

            List<StreamEnd> ends = read(kafka.bootstrapServers(), "ends", StreamEnd.class);
            assertThat(ends).as("the stream's end, once").hasSize(1);
            assertThat(ends.get(0).getCallId()).isEqualTo("show-7");
            assertThat(ends.get(0).getReason()).isEqualTo(StreamEndReason.END_OF_STREAM);
            assertThat(ends.get(0).getEndMs()).as("the whole fixture, in ms").isEqualTo(speech.length / 2 / 16);
            assertThat(ends.get(0).getSpeaker()).isEqualTo("dana");
        }
    }

    @Test
    void withSpeechRecognitionEventsCarryWhatWasSaidAndUnderOverloadTheyGoWithout() throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 1).topic("events", 1).topic("ends", 1).topic("slow-events", 1)
                .topic("dead", 1).start()) {
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(),
                    FlinkKafkaTestKit.chunked("audio", "show-8", SpeakerRole.HOST, "test:", speech));
            TranscribeUtterances.Settings sphinx = TranscribeUtterances.Settings.off().withRecognizer("sphinx");

            var env = FlinkKafkaTestKit.environment();
            EmotionJob.build(env, JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead").withEventsTopic("events").withStreamEndsTopic("ends")
                    .withBounded(true).withGroupId("asr").withAsr(sphinx.withTimeout(Duration.ofSeconds(120))));
            env.execute("asr test");
            var slowEnv = FlinkKafkaTestKit.environment();
            EmotionJob.build(slowEnv, JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead")
                    .withEventsTopic("slow-events").withStreamEndsTopic("ends").withBounded(true).withGroupId("asr-overloaded")
                    .withAsr(sphinx.withTimeout(Duration.ofMillis(1))));
            slowEnv.execute("asr overload test");

            List<EmotionEvent> heard = read(kafka.bootstrapServers(), "events");
            assertThat(heard).isNotEmpty().allSatisfy(event -> {
                assertThat(event.getTranscriptStatus()).isEqualTo(TranscriptStatus.PRESENT);
                assertThat(event.getTranscript()).isNotBlank();
                assertThat(event.getFieldSources()).containsEntry("transcript", "sphinx4");
                assertThat(event.getSource()).isEqualTo("test:");
            });
            List<EmotionEvent> overloaded = read(kafka.bootstrapServers(), "slow-events");
            assertThat(overloaded).extracting(EmotionEvent::getUtteranceId)
                    .containsExactlyInAnyOrderElementsOf(heard.stream().map(EmotionEvent::getUtteranceId).toList());
            assertThat(overloaded).allSatisfy(event -> {
                assertThat(event.getTranscriptStatus()).isEqualTo(TranscriptStatus.OVERLOADED);
                assertThat(event.getTranscript()).isNull();
                assertThat(event.getFieldSources()).doesNotContainKey("transcript");
            });
        }
    }

    @Test
    void withWhisperEventsCarryTheModelsWordsAndTheRationaleQuotesThem(@TempDir Path dir) throws Exception {
        Path model = TinyWhisperModel.write(dir.resolve("ggml-tiny-test.bin"), List.of("This", " is", " ridiculous"));
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 1).topic("events", 1).topic("ends", 1).topic("dead", 1).start()) {
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(),
                    FlinkKafkaTestKit.chunked("audio", "show-9", SpeakerRole.HOST, "test:", speech));

            var env = FlinkKafkaTestKit.environment();
            EmotionJob.build(env, JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead").withEventsTopic("events").withStreamEndsTopic("ends")
                    .withBounded(true).withGroupId("whisper").withAsr(TranscribeUtterances.Settings.off()
                            .withRecognizer("whisper:" + model).withTimeout(Duration.ofSeconds(60))));
            env.execute("whisper test");

            List<EmotionEvent> events = read(kafka.bootstrapServers(), "events");
            assertThat(events).isNotEmpty().allSatisfy(event -> {
                assertThat(event.getTranscriptStatus()).isEqualTo(TranscriptStatus.PRESENT);
                assertThat(event.getTranscript()).isEqualTo("This is ridiculous");
                assertThat(event.getFieldSources()).containsEntry("transcript", "whisper.cpp:ggml-tiny-test.bin");
                assertThat(event.getRationale()).contains("'ridiculous'");
            });
        }
    }

    @Test
    void aMissingWhisperModelStopsTheJobAtStartWithItsName(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("ggml-base.en.bin");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 1).topic("events", 1).topic("ends", 1).topic("dead", 1).start()) {
            var env = FlinkKafkaTestKit.environment();
            EmotionJob.build(env, JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead").withEventsTopic("events").withStreamEndsTopic("ends")
                    .withBounded(true).withGroupId("no-model").withAsr(TranscribeUtterances.Settings.off().withRecognizer("whisper:" + missing)));

            assertThatThrownBy(() -> env.execute("missing model")).rootCause()
                    .hasMessageStartingWith("The whisper model file " + missing + " does not exist");
        }
    }

    static List<EmotionEvent> read(String bootstrap, String topic) {
        return read(bootstrap, topic, EmotionEvent.class);
    }

    static <T extends SpecificRecord> List<T> read(String bootstrap, String topic, Class<T> type) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<T> events = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                AvroSerde.of(type).deserializer())) {
            consumer.subscribe(List.of(topic));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
                for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(200))) {
                    events.add(r.value());
                    quietSince = System.nanoTime();
                }
            }
        }
        return events;
    }
}
