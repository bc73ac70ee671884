package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.launcher.tail.RecordJson;
import io.emostream.schema.Alert;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.CallSummary;
import io.emostream.schema.Cue;
import io.emostream.schema.DeadLetter;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.Evidence;
import io.emostream.schema.GroupKind;
import io.emostream.schema.GroupSummary;
import io.emostream.schema.StreamEnd;
import io.emostream.schema.StreamEndReason;
import io.emostream.schema.RoleSummary;
import io.emostream.schema.Severity;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.SpeechLmOutcome;
import io.emostream.schema.SpeechLmStatus;
import io.emostream.schema.Topics;
import io.emostream.schema.TranscriptStatus;
import io.emostream.schema.codec.AnyRecordDecoder;
import io.emostream.schema.codec.RecordCodec;
import io.emostream.schema.kafka.AvroSerde;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bin/emotion tail} as a user runs it, against a real broker, reading what emostream's serdes wrote. */
@Timeout(120)
class TailCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ENVELOPE = List.of("partition", "offset", "key", "timestamp");
    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().start();
        kafka.createTopics(1, Topics.ALL);
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void stopBroker() {
        producer.close();
        kafka.close();
    }

    record Result(int status, String out, String err) {
        List<JsonNode> lines() {
            return out.lines().map(TailCommandTest::parse).toList();
        }
    }

    static Result tail(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = tail(out, err, args);
        return new Result(status, out.toString(), err.toString());
    }

    static int tail(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("tail", "--bootstrap", kafka.bootstrapServers()));
        all.addAll(List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    @Test
    void anAudioChunkPrintsItsFieldsAndItsPayloadsLength() throws Exception {
        byte[] audio = new byte[3200];
        new Random(7).nextBytes(audio);
        AudioChunk chunk = AudioChunk.newBuilder().setCallId("call-1").setChannel(1).setRole(SpeakerRole.CUSTOMER)
                .setSequence(4).setFirstSample(6400).setCaptureTimeMs(1_763_000_000_000L)
                .setIngestTimeMs(1_763_000_000_100L)
                .setSampleRate(16000).setEncoding(AudioEncoding.PCM_S16LE).setPayload(ByteBuffer.wrap(audio))
                .setSource("file:call-1.wav").build();
        RecordMetadata written = send(Topics.AUDIO_CHUNKS, "call-1", AvroSerde.of(AudioChunk.class).serializer()
                .serialize(Topics.AUDIO_CHUNKS, chunk));

        Result result = tail("--topic", Topics.AUDIO_CHUNKS, "--from-beginning", "--max", "1");

        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.lines()).hasSize(1);
        JsonNode line = result.lines().get(0);
        assertThat(names(line)).isEqualTo(expectedNames(AudioChunk.getClassSchema()));
        assertThat(line.get("partition").asInt()).isZero();
        assertThat(line.get("offset").asLong()).isEqualTo(written.offset());
        assertThat(line.get("key").asText()).isEqualTo("call-1");
        assertThat(line.get("timestamp").asLong()).isEqualTo(written.timestamp());
        assertThat(line.get("callId").asText()).isEqualTo("call-1");
        assertThat(line.get("channel").asInt()).isEqualTo(1);
        assertThat(line.get("sequence").asLong()).isEqualTo(4);
        assertThat(line.get("role").asText()).isEqualTo("CUSTOMER");
        assertThat(line.get("encoding").asText()).isEqualTo("PCM_S16LE");
        assertThat(line.get("payload")).isEqualTo(JSON.readTree("{\"bytes\":3200}"));
        assertThat(line.get("speaker").isNull()).isTrue();
        assertThat(line.get("endOfStream").asBoolean(true)).isFalse();

        JsonNode withPayload = tail("--topic", Topics.AUDIO_CHUNKS, "--from-beginning", "--max", "1", "--payload")
                .lines().get(0);

        assertThat(withPayload.get("payload").get("bytes").asInt()).isEqualTo(3200);
        assertThat(Base64.getDecoder().decode(withPayload.get("payload").get("base64").asText())).isEqualTo(audio);
    }

    @Test
    void anEmotionEventPrintsItsLabelScoresCuesAndNestedRecords() throws Exception {
        EmotionEvent event = emotionEvent("call-2", "angry")
                .setScores(Map.of("angry", 0.75, "neutral", 0.25))
                .setCues(List.of(new Cue("pitch_mean_hz", 231.5, "Hz", 1.9), new Cue("lexical_valence", -0.4, "", null),
                        new Cue("jitter", Double.NaN, "", Double.POSITIVE_INFINITY)))
                .setFieldSources(Map.of("label", "cue-estimator/1"))
                .setSpeechLm(new SpeechLmOutcome(SpeechLmStatus.TIMED_OUT, "speechlm:test", "non-neutral", "angry", 2,
                        900L, "No answer within 800 ms."))
                .build();
        send(Topics.EMOTION_EVENTS, "call-2", RecordCodec.of(EmotionEvent.class).encode(event));

        Result result = tail("--topic", Topics.EMOTION_EVENTS, "--from-beginning", "--max", "1");

        assertThat(result.status()).isZero();
        JsonNode line = result.lines().get(0);
        assertThat(names(line)).isEqualTo(expectedNames(EmotionEvent.getClassSchema()));
        assertThat(line.get("key").asText()).isEqualTo("call-2");
        assertThat(line.get("label").asText()).isEqualTo("angry");
        assertThat(line.get("scores")).isEqualTo(JSON.readTree("{\"angry\":0.75,\"neutral\":0.25}"));
        assertThat(line.get("transcriptStatus").asText()).isEqualTo("PRESENT");
        assertThat(line.get("transcript").asText()).isEqualTo("I want this fixed now");
        assertThat(line.get("cues").get(0)).isEqualTo(JSON.readTree(
                "{\"name\":\"pitch_mean_hz\",\"value\":231.5,\"unit\":\"Hz\",\"zScore\":1.9}"));
        assertThat(line.get("cues").get(1).get("zScore").isNull()).as("a null union branch").isTrue();
        assertThat(line.get("cues").get(2).get("value").isNull()).as("NaN has no JSON form").isTrue();
        assertThat(line.get("cues").get(2).get("zScore").isNull()).as("nor has infinity").isTrue();
        assertThat(line.get("fieldSources")).isEqualTo(JSON.readTree("{\"label\":\"cue-estimator/1\"}"));
        assertThat(line.get("speechLm").get("status").asText()).isEqualTo("TIMED_OUT");
        assertThat(line.get("speechLm").get("latencyMs").asLong()).isEqualTo(900);
        assertThat(line.get("rationaleContradictions").isArray()).isTrue();
    }

    @Test
    void anEventWhoseEmotionWasWithheldPrintsItsEmptyFieldsAndThePolicy() throws Exception {
        EmotionEvent event = emotionEvent("call-withheld", "neutral").setRole(SpeakerRole.AGENT).setLabel(null)
                .setScores(Map.of()).setArousal(null).setValence(null).setConfidence(null)
                .setRationale("No emotion analysed (policy no-emotion-for AGENT). Speaking rate 4.1 syllables/s.")
                .setCues(List.of(new Cue("speaking_rate_syl_per_s", 4.1, "syl/s", null))).setModelId("emotion-policy/1")
                .setEmotionWithheld("no-emotion-for AGENT").build();
        send(Topics.EMOTION_EVENTS, "call-withheld", RecordCodec.of(EmotionEvent.class).encode(event));

        Result result = tail("--topic", Topics.EMOTION_EVENTS, "--from-beginning", "--call", "call-withheld", "--max", "1");

        assertThat(result.status()).as(result.err()).isZero();
        JsonNode line = result.lines().get(0);
        assertThat(names(line)).isEqualTo(expectedNames(EmotionEvent.getClassSchema()));
        assertThat(line.get("emotionWithheld").asText()).isEqualTo("no-emotion-for AGENT");
        for (String empty : List.of("label", "arousal", "valence", "confidence")) {
            assertThat(line.get(empty).isNull()).as(empty).isTrue();
        }
        assertThat(line.get("scores")).isEqualTo(JSON.readTree("{}"));
        assertThat(line.get("transcript").asText()).isEqualTo("I want this fixed now");
    }

    @Test
    void aStreamEndPrintsWhyAndWhereTheStreamEnded() throws Exception {
        StreamEnd end = StreamEnd.newBuilder().setCallId("call-5").setChannel(1).setRole(SpeakerRole.CUSTOMER)
                .setChannels(2).setReason(StreamEndReason.IDLE).setEndMs(61_250L).setEndTimeMs(9L).build();
        send(Topics.STREAM_ENDS, "call-5", RecordCodec.of(StreamEnd.class).encode(end));

        JsonNode line = tail("--topic", Topics.STREAM_ENDS, "--from-beginning", "--max", "1").lines().get(0);

        assertThat(names(line)).isEqualTo(expectedNames(StreamEnd.getClassSchema()));
        assertThat(line.get("key").asText()).isEqualTo("call-5");
        assertThat(line.get("reason").asText()).isEqualTo("IDLE");
        assertThat(line.get("channels").asInt()).isEqualTo(2);
        assertThat(line.get("endMs").asLong()).isEqualTo(61_250);
        assertThat(line.get("speaker").isNull()).isTrue();
    }

    @Test
    void summariesAndAlertsPrintWithTheirEnumsAsSymbols() throws Exception {
        CallSummary summary = CallSummary.newBuilder().setCallId("call-3").setFirstEventTimeMs(1L)
                .setLastEventTimeMs(2L).setUtterances(3)
                .setRoles(List.of(new RoleSummary(SpeakerRole.AGENT, 2, 4000L, 0.0, 0.5, 0.1, 0.2, "neutral", 1.0, 4.0, 4.0, false)))
                .setEscalationScore(0.4).setEscalationTrend(0.1).build();
        GroupSummary group = GroupSummary.newBuilder().setKind(GroupKind.AGENT).setName("sam").setWindowMinutes(15)
                .setWindowEndMs(5L).setUtterances(12).setCalls(3).setTalkTimeMs(48_000L).setNegativeShare(0.25)
                .setHighArousalShare(0.5).setArousal(0.1).setValence(-0.2).build();
        Alert alert = Alert.newBuilder().setAlertId("customer_escalation/call-3").setCallId("call-3")
                .setRule("customer_escalation")
                .setSeverity(Severity.CRITICAL).setRole(SpeakerRole.CUSTOMER).setRaisedAtMs(3L)
                .setMessage("The customer on call-3 is escalating.")
                .setEvidence(List.of(new Evidence("call-3/1/5600", "angry", 0.6, -0.5, "loud", null, List.of()))).build();
        send(Topics.CALLS_SUMMARY, "call-3", RecordCodec.of(CallSummary.class).encode(summary));
        send(Topics.GROUPS_SUMMARY, "agent/sam", RecordCodec.of(GroupSummary.class).encode(group));
        send(Topics.ALERTS, "call-3", RecordCodec.of(Alert.class).encode(alert));

        JsonNode summaryLine = tail("--topic", Topics.CALLS_SUMMARY, "--from-beginning", "--max", "1").lines().get(0);
        JsonNode groupLine = tail("--topic", Topics.GROUPS_SUMMARY, "--from-beginning", "--max", "1").lines().get(0);
        JsonNode alertLine = tail("--topic", Topics.ALERTS, "--from-beginning", "--max", "1").lines().get(0);

        assertThat(names(summaryLine)).isEqualTo(expectedNames(CallSummary.getClassSchema()));
        assertThat(summaryLine.get("escalationScore").asDouble()).isEqualTo(0.4);
        assertThat(summaryLine.get("roles").get(0).get("role").asText()).isEqualTo("AGENT");
        assertThat(summaryLine.get("roles").get(0).get("talkTimeMs").asLong()).isEqualTo(4000);
        assertThat(summaryLine.get("lastUtteranceId").isNull()).isTrue();
        assertThat(names(groupLine)).isEqualTo(expectedNames(GroupSummary.getClassSchema()));
        assertThat(groupLine.get("key").asText()).isEqualTo("agent/sam");
        assertThat(groupLine.get("kind").asText()).isEqualTo("AGENT");
        assertThat(groupLine.get("negativeShare").asDouble()).isEqualTo(0.25);
        assertThat(names(alertLine)).isEqualTo(expectedNames(Alert.getClassSchema()));
        assertThat(alertLine.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(alertLine.get("message").asText()).isEqualTo("The customer on call-3 is escalating.");
        assertThat(alertLine.get("evidence").get(0).get("utteranceId").asText()).isEqualTo("call-3/1/5600");
    }

    @Test
    void aDeadLetterShowsItsReasonItsOriginalKeyAsTextAndItsValuesLength() throws Exception {
        DeadLetter letter = DeadLetter.newBuilder().setReason("The record is not an emostream AudioChunk.")
                .setStage("inference-job/decode").setSourceTopic("audio.chunks").setSourcePartition(3)
                .setSourceOffset(1234L)
                .setOriginalKey(ByteBuffer.wrap("call-9".getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3})).setFailedAtMs(4L).build();
        send(Topics.DEAD_LETTER, "call-9", RecordCodec.of(DeadLetter.class).encode(letter));

        JsonNode line = tail("--topic", Topics.DEAD_LETTER, "--from-beginning", "--max", "1").lines().get(0);
        JsonNode withPayload = tail("--topic", Topics.DEAD_LETTER, "--from-beginning", "--max", "1", "--payload")
                .lines().get(0);

        assertThat(names(line)).isEqualTo(expectedNames(DeadLetter.getClassSchema()));
        assertThat(line.get("reason").asText()).isEqualTo("The record is not an emostream AudioChunk.");
        assertThat(line.get("sourceOffset").asLong()).isEqualTo(1234);
        assertThat(line.get("originalKey").asText()).isEqualTo("call-9");
        assertThat(line.get("originalValue")).isEqualTo(JSON.readTree("{\"bytes\":3}"));
        assertThat(withPayload.get("originalValue")).isEqualTo(JSON.readTree("{\"bytes\":3,\"base64\":\"AQID\"}"));
        assertThat(withPayload.get("originalKey").asText()).isEqualTo("call-9");
    }

    @Test
    void recordsThatAreNotOursGetAnErrorLineEachAndTheRestStillPrint() throws Exception {
        // Any name, and types mixed: the fingerprint, not the topic, says what a record is.
        kafka.createTopics(2, "tail-mixed");
        ByteBuffer unknown = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        unknown.put((byte) 0xc3).put((byte) 0x01).putLong(0x0123456789abcdefL).putInt(42);
        send("tail-mixed", 1, "call-4", encoded(emotionEvent("call-4", "sad")));
        send("tail-mixed", 1, "call-4", "{\"callId\":\"call-4\"}".getBytes(StandardCharsets.UTF_8));
        send("tail-mixed", 1, "call-4", unknown.array());
        send("tail-mixed", 1, null, null);
        send("tail-mixed", 1, "call-4", encoded(emotionEvent("call-4", "happy")));

        Result result = tail("--topic", "tail-mixed", "--from-beginning", "--max", "5");

        assertThat(result.status()).isZero();
        List<JsonNode> lines = result.lines();
        assertThat(lines).extracting(line -> line.get("partition").asInt()).containsOnly(1);
        assertThat(lines).extracting(line -> line.get("offset").asLong()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(lines.get(0).get("label").asText()).isEqualTo("sad");
        assertThat(names(lines.get(1))).containsExactly("partition", "offset", "key", "timestamp", "error");
        assertThat(lines.get(1).get("error").asText()).isEqualTo("The record is not an emostream record: it lacks"
                + " Avro's single-object marker c3 01 (it starts with 7b 22 63 61); check what produces to this topic.");
        assertThat(lines.get(2).get("error").asText()).contains("(fingerprint 0123456789abcdef)");
        assertThat(lines.get(3).get("key").isNull()).isTrue();
        assertThat(lines.get(3).get("error").asText())
                .isEqualTo("The record is empty, so it is not an emostream record.");
        assertThat(lines.get(4).get("label").asText()).isEqualTo("happy");
        assertThat(lines.get(4).has("error")).isFalse();
    }

    @Test
    void callPrintsOnlyThatCallsRecordsAndMaxStopsAfterN() throws Exception {
        kafka.createTopics(1, "tail-calls");
        for (String call : List.of("a", "b", "a", "b", "a")) {
            send("tail-calls", call, encoded(emotionEvent(call, "neutral")));
        }

        Result two = tail("--topic", "tail-calls", "--from-beginning", "--call", "a", "--max", "2");
        Result all = tail("--topic", "tail-calls", "--from-beginning", "--call", "a", "--timeout", "2");

        assertThat(two.status()).isZero();
        assertThat(two.lines()).extracting(line -> line.get("offset").asLong()).containsExactly(0L, 2L);
        assertThat(all.status()).as("a timeout without --max is how reading what there is ends").isZero();
        assertThat(all.err()).isEmpty();
        assertThat(all.lines()).extracting(line -> line.get("offset").asLong()).containsExactly(0L, 2L, 4L);
        assertThat(all.lines()).extracting(line -> line.get("callId").asText()).containsOnly("a");
    }

    @Test
    void aTimeoutBeforeMaxRecordsArrivedEndsWithOneAndSaysSo() throws Exception {
        kafka.createTopics(1, "tail-short");
        for (int i = 0; i < 3; i++) {
            send("tail-short", "call-5", encoded(emotionEvent("call-5", "neutral")));
        }

        Result result = tail("--topic", "tail-short", "--from-beginning", "--max", "10", "--timeout", "2");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.lines()).hasSize(3);
        assertThat(result.err()).isEqualTo("tail: 3 of 10 records arrived before 2 s passed without a new one."
                + System.lineSeparator());
    }

    @Test
    void byDefaultOnlyRecordsArrivingAfterTheStartPrintAndAnInterruptStopsCleanly() throws Exception {
        kafka.createTopics(1, "tail-latest");
        byte[] value = encoded(emotionEvent("call-6", "neutral"));
        send("tail-latest", "before", value);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger status = new AtomicInteger(-1);
        Thread command = new Thread(() -> status.set(tail(out, err, "--topic", "tail-latest")));
        command.start();

        // Whenever tail has found where the topic ends, the next record written is the first it prints.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (out.toString().isEmpty() && System.nanoTime() < deadline) {
            send("tail-latest", "after", value);
            Thread.sleep(300);
        }
        command.interrupt();
        command.join(30_000);

        assertThat(command.isAlive()).isFalse();
        assertThat(status.get()).isZero();
        assertThat(err.toString()).isEmpty();
        List<JsonNode> lines = out.toString().lines().map(TailCommandTest::parse).toList();
        assertThat(lines).isNotEmpty().allSatisfy(line -> {
            assertThat(line.get("key").asText()).isEqualTo("after");
            assertThat(line.get("offset").asLong()).isPositive();
        });
    }

    @Test
    void aMissingTopicIsOneSentenceNamingTheTopicsThereAre() {
        Result result = tail("--topic", "emotion.evnts", "--from-beginning");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("tail: Topic emotion.evnts does not exist on " + kafka.bootstrapServers()
                        + "; its topics are ")
                .contains("alerts, audio.chunks, calls.summary, dead-letter, emotion.events, groups.summary")
                .endsWith(".");
    }

    @Test
    void aKafkaThatDoesNotAnswerIsOneSentence(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("client.properties"), "default.api.timeout.ms=1000\n");
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int status = cli.execute("tail", "--bootstrap", "127.0.0.1:" + closedPort, "--topic", Topics.ALERTS,
                "--kafka-config", config.toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("tail: Kafka at 127.0.0.1:" + closedPort + " did not answer within"
                + " 1.0 s; check --bootstrap, or start a local broker with 'bin/emotion broker'.");
    }

    @Test
    void aWrongOptionIsBadUsage() {
        Result missingTopic = tail("--from-beginning");
        Result zeroMax = tail("--topic", Topics.ALERTS, "--max", "0");
        Result misspelt = tail("--topic", Topics.ALERTS, "--from-begining");

        assertThat(missingTopic.status()).isEqualTo(2);
        assertThat(missingTopic.err()).startsWith("tail: Missing required option: '--topic=TOPIC'");
        assertThat(zeroMax.status()).isEqualTo(2);
        assertThat(zeroMax.err()).isEqualTo("tail: --max must be at least 1, not 0." + System.lineSeparator()
                + "Run 'bin/emotion tail --help' for the options." + System.lineSeparator());
        assertThat(misspelt.status()).isEqualTo(2);
        assertThat(misspelt.err()).startsWith("tail: Unknown option: '--from-begining'");
    }

    @Test
    void noRecordFieldSharesANameWithTheLinesOwnMembers() {
        for (Class<? extends SpecificRecord> type : AnyRecordDecoder.RECORD_TYPES) {
            List<String> fields = SpecificData.get().getSchema(type).getFields().stream()
                    .map(Schema.Field::name).toList();
            assertThat(fields).as(type.getSimpleName()).doesNotContainAnyElementsOf(RecordJson.ENVELOPE);
        }
    }

    private static EmotionEvent.Builder emotionEvent(String callId, String label) {
        return EmotionEvent.newBuilder().setUtteranceId(callId + "/1/0").setCallId(callId).setChannel(1)
                .setRole(SpeakerRole.CUSTOMER).setSource("test:").setStartMs(0).setEndMs(2000)
                .setTranscript("I want this fixed now").setTranscriptStatus(TranscriptStatus.PRESENT).setLabel(label)
                .setScores(Map.of(label, 1.0)).setArousal(0.8).setValence(-0.5).setConfidence(0.9)
                .setRationale("loud -> " + label + ".").setModelId("test").setLastChunkIngestTimeMs(0)
                .setVadEndTimeMs(0).setEmitTimeMs(1L);
    }

    private static byte[] encoded(EmotionEvent.Builder event) {
        return RecordCodec.of(EmotionEvent.class).encode(event.build());
    }

    private static RecordMetadata send(String topic, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    private static RecordMetadata send(String topic, int partition, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, partition, key, value)).get(30, TimeUnit.SECONDS);
    }

    private static List<String> expectedNames(Schema schema) {
        List<String> names = new ArrayList<>(ENVELOPE);
        schema.getFields().forEach(field -> names.add(field.name()));
        return names;
    }

    private static List<String> names(JsonNode line) {
        List<String> names = new ArrayList<>();
        line.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("Not a JSON line: " + line, e);
        }
    }
}
