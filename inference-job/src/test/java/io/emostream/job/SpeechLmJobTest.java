package io.emostream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.model.CueReading;
import io.emostream.job.rationale.GroundingCheck;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.SpeechLmStatus;
import io.emostream.schema.TranscriptStatus;
import io.emostream.schema.kafka.AvroSerde;
import io.emostream.testkit.ScriptedSpeechLmServer.Content;
import io.emostream.testkit.ScriptedSpeechLmServer.Hang;
import io.emostream.testkit.ScriptedSpeechLmServer.Reply;
import io.emostream.testkit.ScriptedSpeechLmServer.Status;
import io.emostream.testkit.ScriptedSpeechLmServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cascade in the running job, against a real HTTP server that answers some utterances well and the others
 * with malformed JSON, a label outside the set, errors, an error then an answer, or not at all: every utterance
 * becomes exactly one event, each marked with what happened, and the unanswered ones do not hold up the rest.
 */
@Timeout(240)
class SpeechLmJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** What the server does with the utterances it is asked about, in turn: the first gets no answer at all. */
    private enum Behaviour { SILENCE, ANSWER, MALFORMED, OUTSIDE_THE_SET, ERROR, ERROR_THEN_ANSWER }

    private static final String RATIONALE = "The words 'not acceptable' and a loud voice.";
    private static final long TIMEOUT_MS = 4_000;

    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    private Reply script(ScriptedSpeechLmServer.Seen seen) {
        Behaviour behaviour = behaviours.computeIfAbsent(seen.utteranceId(),
                id -> Behaviour.values()[next.getAndIncrement() % Behaviour.values().length]);
        int attempt = attempts.computeIfAbsent(seen.utteranceId(), id -> new AtomicInteger()).incrementAndGet();
        return switch (behaviour) {
            case ANSWER -> ScriptedSpeechLmServer.answer("this is not acceptable", "angry", RATIONALE);
            case MALFORMED -> new Content("{\"label\": \"angry\", \"rationale\": ");
            case OUTSIDE_THE_SET -> ScriptedSpeechLmServer.answer("fine", "frustrated", "Tense.");
            case ERROR -> new Status(500, "{\"error\": \"engine dead\"}");
            case ERROR_THEN_ANSWER -> attempt == 1 ? new Status(503, "") : ScriptedSpeechLmServer.answer("okay", "neutral", "Even pace.");
            case SILENCE -> new Hang();
        };
    }

    @Test
    void everyUtteranceGetsOneEventMarkedWithWhatTheSpeechLmDidAndSilenceHoldsNothingUp() throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        try (var server = new ScriptedSpeechLmServer(this::script);
             EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 2).topic("events", 2).topic("ends", 1).topic("dead", 1).start()) {
            for (String call : List.of("show-a", "show-b", "show-c", "show-d")) {
                FlinkKafkaTestKit.produce(kafka.bootstrapServers(),
                        FlinkKafkaTestKit.chunked("audio", call, SpeakerRole.HOST, "test:", speech));
            }
            String model = "cue+speechlm:" + server.baseUrl() + "?model=m&ask=all&timeout=" + TIMEOUT_MS + "ms&retries=1"
                    + "&backoff=50ms&breaker=1000&rps=1000&concurrency=64";

            // Live, as in production: a bounded run's final watermark would queue the last utterances behind the
            // silent ones, which is harmless for files but not what this test is about.
            var env = FlinkKafkaTestKit.environment();
            EmotionJob.build(env, JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead")
                    .withEventsTopic("events").withStreamEndsTopic("ends").withGroupId("speechlm").withModel(model));
            JobClient job = env.executeAsync("speechlm cascade test");
            List<EmotionEvent> events;
            try {
                events = readUntilEveryAskedUtteranceHasItsEvent(kafka.bootstrapServers());
            } finally {
                job.cancel().get();
                server.release();
            }

            assertThat(events).extracting(EmotionEvent::getUtteranceId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(behaviours.keySet());
            assertThat(EnumSet.copyOf(behaviours.values())).as("every behaviour was tried").containsAll(EnumSet.allOf(Behaviour.class));
            String lm = "speechlm:m@" + server.baseUrl().replace("http://", "").replace("/v1", "");
            for (EmotionEvent event : events) {
                Behaviour behaviour = behaviours.get(event.getUtteranceId());
                var outcome = event.getSpeechLm();
                assertThat(outcome.getModel()).isEqualTo(lm);
                assertThat(outcome.getReason()).isEqualTo("all");
                assertThat(outcome.getStatus()).as("%s", behaviour).isEqualTo(switch (behaviour) {
                    case ANSWER, ERROR_THEN_ANSWER -> SpeechLmStatus.ANSWERED;
                    case MALFORMED, OUTSIDE_THE_SET -> SpeechLmStatus.INVALID_ANSWER;
                    case ERROR -> SpeechLmStatus.FAILED;
                    case SILENCE -> SpeechLmStatus.TIMED_OUT;
                });
                assertThat(outcome.getAttempts()).isEqualTo(attempts.get(event.getUtteranceId()).get())
                        .isEqualTo(behaviour == Behaviour.ERROR || behaviour == Behaviour.ERROR_THEN_ANSWER ? 2 : 1);
                if (outcome.getStatus() == SpeechLmStatus.ANSWERED) {
                    boolean angry = behaviour == Behaviour.ANSWER;
                    assertThat(event.getLabel()).isEqualTo(angry ? "angry" : "neutral");
                    assertThat(event.getRationale()).isEqualTo(angry ? RATIONALE : "Even pace.");
                    assertThat(event.getTranscript()).isEqualTo(angry ? "this is not acceptable" : "okay");
                    assertThat(event.getModelId()).isEqualTo(lm);
                    assertThat(event.getFieldSources()).containsEntry("label", lm).containsEntry("rationale", lm)
                            .containsEntry("scores", "cue-estimator/1");
                    assertThat(event.getConfidence()).isEqualTo(event.getScores().get(event.getLabel()));
                } else {
                    assertThat(event.getLabel()).isEqualTo(outcome.getLocalLabel());
                    assertThat(event.getModelId()).isEqualTo("cue-estimator/1");
                    assertThat(event.getTranscriptStatus()).isEqualTo(TranscriptStatus.ASR_OFF);
                    assertThat(event.getFieldSources()).containsEntry("label", "cue-estimator/1")
                            .containsEntry("rationale", "rationale-writer/1");
                    assertThat(outcome.getDetail()).isNotBlank();
                }
                List<CueReading> cues = event.getCues().stream()
                        .map(c -> new CueReading(c.getName(), c.getValue(), c.getUnit(), c.getZScore(), null)).toList();
                assertThat(event.getRationaleContradictions())
                        .isEqualTo(GroundingCheck.check(event.getRationale(), cues).contradictions());
            }

            List<Long> silentWaits = waits(events, true);
            List<Long> otherWaits = waits(events, false);
            assertThat(silentWaits).allSatisfy(wait -> assertThat(wait).isGreaterThanOrEqualTo(TIMEOUT_MS));
            assertThat(otherWaits).as("utterances behind a silent request were not held up")
                    .allSatisfy(wait -> assertThat(wait).isLessThan(TIMEOUT_MS / 2));
        }
    }

    /** Events, until every utterance the server was asked about has one and no new question came for three seconds. */
    private List<EmotionEvent> readUntilEveryAskedUtteranceHasItsEvent(String bootstrap) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<EmotionEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, EmotionEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                AvroSerde.of(EmotionEvent.class).deserializer())) {
            consumer.subscribe(List.of("events"));
            int asked = -1;
            long askedSince = System.nanoTime();
            while (true) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> events.add(record.value()));
                if (behaviours.size() != asked) {
                    asked = behaviours.size();
                    askedSince = System.nanoTime();
                }
                boolean settled = asked > 0 && System.nanoTime() - askedSince > Duration.ofSeconds(3).toNanos();
                if (settled && events.size() >= asked) {
                    return events;
                }
            }
        }
    }

    /** From the end of each utterance to its event, for the utterances the server left unanswered or the others. */
    private List<Long> waits(List<EmotionEvent> events, boolean silent) {
        return events.stream().filter(e -> (behaviours.get(e.getUtteranceId()) == Behaviour.SILENCE) == silent)
                .map(e -> e.getEmitTimeMs() - e.getVadEndTimeMs()).toList();
    }
}
