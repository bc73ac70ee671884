package io.emostream.job.speechlm;

import static io.emostream.testkit.ScriptedSpeechLmServer.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.schema.Cue;
import io.emostream.schema.SpeechLmStatus;
import io.emostream.testkit.ScriptedSpeechLmServer.Content;
import io.emostream.testkit.ScriptedSpeechLmServer.Hang;
import io.emostream.testkit.ScriptedSpeechLmServer.Late;
import io.emostream.testkit.ScriptedSpeechLmServer.Reply;
import io.emostream.testkit.ScriptedSpeechLmServer.Status;
import io.emostream.testkit.ScriptedSpeechLmServer;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SpeechLM client against a real HTTP server that answers well, badly, late, or not at all. */
@Timeout(60)
class SpeechLmClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LABELS = List.of("neutral", "happy", "sad", "angry");
    private static final Reply ANGRY = answer("I want my money back", "Angry", "Loud, with raised pitch: angry.");

    /** A clock the test can move forward, for the budget and the circuit breaker. */
    private final AtomicLong skipped = new AtomicLong();

    @Test
    void anAnswerIsCheckedAndTheRequestCarriesTheAudioTheCuesAndTheLabels() throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> ANGRY);
             var client = client(server, "model=qwen2-audio", "s3cret")) {
            Outcome outcome = client.ask(question("call-1/0/16000")).get(10, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(SpeechLmStatus.ANSWERED);
            assertThat(outcome.answer()).isEqualTo(new Answer("I want my money back", "angry", "Loud, with raised pitch: angry."));
            assertThat(outcome.attempts()).isEqualTo(1);
            assertThat(client.id()).isEqualTo("speechlm:qwen2-audio@127.0.0.1:" + port(server));

            ScriptedSpeechLmServer.Seen seen = server.requests().get(0);
            assertThat(seen.utteranceId()).isEqualTo("call-1/0/16000");
            assertThat(seen.authorization()).isEqualTo("Bearer s3cret");
            JsonNode body = seen.body();
            assertThat(body.path("model").asText()).isEqualTo("qwen2-audio");
            assertThat(body.path("messages").path(0).path("content").asText()).contains("neutral, happy, sad, angry");
            JsonNode parts = body.path("messages").path(1).path("content");
            assertThat(parts.path(0).path("text").asText())
                    .contains("- pitch_mean_hz: 210.00 Hz, well above this speaker's usual (z = +1.8)")
                    .contains("- loudness_dbfs: -20.00 dBFS, close to this speaker's usual (z = +0.2)")
                    .contains("An automatic transcript, which may contain errors: \"money back\"");
            assertThat(parts.path(1).path("input_audio").path("format").asText()).isEqualTo("wav");
            float[] sent = wavSamples(Base64.getDecoder().decode(parts.path(1).path("input_audio").path("data").asText()));
            float[] samples = tone(8_000);
            assertThat(sent).hasSize(samples.length);
            for (int i = 0; i < samples.length; i++) {
                assertThat(sent[i]).isCloseTo(samples[i], within(1f / 32_000));
            }
        }
    }

    @Test
    void audioBeyondTheLimitIsNotSent() throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> ANGRY);
             var client = client(server, "model=m&max-seconds=0.25", null)) {
            client.ask(question("long")).get(10, TimeUnit.SECONDS);

            JsonNode audio = server.requests().get(0).body().path("messages").path(1).path("content").path(1).path("input_audio");
            assertThat(wavSamples(Base64.getDecoder().decode(audio.path("data").asText()))).hasSize(4_000);
            assertThat(server.requests().get(0).authorization()).as("no key, no header").isNull();
        }
    }

    @Test
    void withoutAModelNameTheServersFirstModelIsUsed() throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> ANGRY);
             var client = client(server, "", null)) {
            assertThat(client.id()).isEqualTo("speechlm:127.0.0.1:" + port(server));
            client.ask(question("a")).get(10, TimeUnit.SECONDS);
            client.ask(question("b")).get(10, TimeUnit.SECONDS);

            assertThat(server.requests()).extracting(seen -> seen.body().path("model").asText())
                    .containsExactly(ScriptedSpeechLmServer.SERVED_MODEL, ScriptedSpeechLmServer.SERVED_MODEL);
            assertThat(server.modelListings()).as("asked once").isEqualTo(1);
            assertThat(client.id()).isEqualTo("speechlm:" + ScriptedSpeechLmServer.SERVED_MODEL + "@127.0.0.1:" + port(server));
        }
    }

    @Test
    void whenTheModelListFailsTheTriesAreCountedAndSpacedOut() throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> ANGRY)) {
            SpeechLmSettings settings = SpeechLmSettings.parse("speechlm:" + server.baseUrl().replace("/v1", "/no-such")
                    + "?retries=2&backoff=100ms&timeout=5s", false);
            try (var client = new SpeechLmClient(settings, 1_000, null)) {
                long started = System.nanoTime();
                Outcome outcome = client.ask(question("no-models")).get(10, TimeUnit.SECONDS);

                assertThat(outcome.status()).isEqualTo(SpeechLmStatus.FAILED);
                assertThat(outcome.attempts()).isEqualTo(3);
                assertThat(outcome.detail()).contains("answered HTTP 404").contains("?model=NAME");
                assertThat((System.nanoTime() - started) / 1_000_000).as("two back-offs of 50-100 and 100-200 ms")
                        .isGreaterThanOrEqualTo(150);
                assertThat(server.requests()).as("no chat request without a model").isEmpty();
            }
        }
    }

    @Test
    void anIdThatIsNotLatin1TravelsPercentEncoded() throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> ANGRY); var client = client(server, "model=m", null)) {
            Outcome outcome = client.ask(question("客户/0/16000")).get(10, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(SpeechLmStatus.ANSWERED);
            assertThat(server.requests().get(0).utteranceId()).isEqualTo("%E5%AE%A2%E6%88%B7%2F0%2F16000");
        }
    }

    @Test
    void answersThatFailTheChecksAreRefusedWithTheReasonAndNotRetried() throws Exception {
        assertRefused(new Content("{\"label\": \"angry\", \"rationale\": \"loud"), "the answer is not valid JSON");
        assertRefused(new Content("I think the speaker is angry."), "the answer is not a JSON object");
        assertRefused(answer("no", "frustrated", "Tense voice."), "the label 'frustrated' is not one of [neutral, happy, sad, angry]");
        assertRefused(answer("no", "sad", " "), "the answer has no rationale");
        assertRefused(new Content("{\"rationale\": \"quiet\"}"), "the answer has no label");
        assertRefused(new Status(200, "<html>gateway</html>"), "the server's response is not JSON");
    }

    private void assertRefused(Reply reply, String reason) throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> reply); var client = client(server, "model=m&retries=3", null)) {
            Outcome outcome = client.ask(question("bad")).get(10, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(SpeechLmStatus.INVALID_ANSWER);
            assertThat(outcome.detail()).startsWith(reason);
            assertThat(outcome.attempts()).isEqualTo(1);
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void theAnswerIsAskedForUnderASchemaWhoseLabelIsOneOfTheSetAndOneOutsideItIsStillRefused() throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> answer("no", "frustrated", "Tense voice."));
             var client = client(server, "model=m", null)) {
            Outcome outcome = client.ask(question("schema")).get(10, TimeUnit.SECONDS);

            assertThat(server.requests().get(0).body().path("response_format")).isEqualTo(JSON.readTree("""
                    {"type": "json_schema", "json_schema": {"name": "emotion_answer", "strict": true, "schema": {
                      "type": "object",
                      "properties": {"transcript": {"type": "string"},
                                     "label": {"type": "string", "enum": ["neutral", "happy", "sad", "angry"]},
                                     "rationale": {"type": "string"}},
                      "required": ["transcript", "label", "rationale"], "additionalProperties": false}}}
                    """));
            assertThat(outcome.status()).as("a server that did not keep to the schema").isEqualTo(SpeechLmStatus.INVALID_ANSWER);
            assertThat(outcome.detail()).isEqualTo("the label 'frustrated' is not one of [neutral, happy, sad, angry]");

            client.ask(question("schema-again")).get(10, TimeUnit.SECONDS);
            assertThat(server.requests().get(1).body().has("response_format")).as("a bad answer is no refusal").isTrue();
        }
    }

    @Test
    void aServerThatRefusesStructuredOutputIsRefusedOnceThenAskedWithThePromptContractAlone() throws Exception {
        try (var server = new ScriptedSpeechLmServer(ScriptedSpeechLmServer.refusingStructuredOutput(seen -> ANGRY));
             var client = client(server, "model=m&retries=0", null)) {
            List<Outcome> outcomes = new ArrayList<>();
            for (String id : List.of("first", "second", "third")) {
                outcomes.add(client.ask(question(id)).get(10, TimeUnit.SECONDS));
            }

            assertThat(outcomes).extracting(Outcome::status).containsOnly(SpeechLmStatus.ANSWERED);
            assertThat(outcomes).extracting(Outcome::attempts).containsExactly(2, 1, 1);
            assertThat(outcomes.get(0).answer()).isEqualTo(new Answer("I want my money back", "angry", "Loud, with raised pitch: angry."));
            assertThat(server.requests()).extracting(seen -> seen.utteranceId() + " " + seen.body().has("response_format"))
                    .containsExactly("first true", "first false", "second false", "third false");
            assertThat(server.requests().get(1).body().path("messages").path(0).path("content").asText())
                    .as("the prompt asks for the same object").contains("\"label\": \"one of neutral, happy, sad, angry\"");
        }
    }

    @Test
    void aClientErrorThatIsNotAboutStructuredOutputFailsAsBefore() throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> new Status(400, "{\"message\": \"audio too long\"}"));
             var client = client(server, "model=m", null)) {
            Outcome outcome = client.ask(question("too-long")).get(10, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(SpeechLmStatus.FAILED);
            assertThat(outcome.attempts()).isEqualTo(1);
            client.ask(question("next")).get(10, TimeUnit.SECONDS);
            assertThat(server.requests()).extracting(seen -> seen.body().has("response_format")).containsExactly(true, true);
        }
    }

    @Test
    void anAnswerInACodeFenceOrAmongWordsIsRead() throws Exception {
        String fenced = "Here you go:\n```json\n{\"transcript\": \"fine\", \"label\": \"neutral\", \"rationale\": \"Even pace.\"}\n```";
        try (var server = new ScriptedSpeechLmServer(seen -> new Content(fenced)); var client = client(server, "model=m", null)) {
            assertThat(client.ask(question("fenced")).get(10, TimeUnit.SECONDS).answer())
                    .isEqualTo(new Answer("fine", "neutral", "Even pace."));
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackOffAndClientErrorsAreNot() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Function<ScriptedSpeechLmServer.Seen, Reply> flaky = seen ->
                calls.incrementAndGet() <= 2 ? new Status(503, "{\"error\":\"loading\"}") : ANGRY;
        try (var server = new ScriptedSpeechLmServer(flaky); var client = client(server, "model=m&retries=2&backoff=100ms", null)) {
            Outcome outcome = client.ask(question("flaky")).get(10, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(SpeechLmStatus.ANSWERED);
            assertThat(outcome.attempts()).isEqualTo(3);
            List<ScriptedSpeechLmServer.Seen> seen = server.requests();
            assertThat(millisBetween(seen.get(0), seen.get(1))).as("half to all of the back-off").isBetween(45L, 400L);
            assertThat(millisBetween(seen.get(1), seen.get(2))).as("doubled").isBetween(95L, 800L);
        }
        try (var server = new ScriptedSpeechLmServer(seen -> new Status(500, "{\"error\": \"CUDA out of memory\"}"));
             var client = client(server, "model=m&retries=2&backoff=10ms", null)) {
            Outcome outcome = client.ask(question("down")).get(10, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(SpeechLmStatus.FAILED);
            assertThat(outcome.attempts()).isEqualTo(3);
            assertThat(outcome.detail()).isEqualTo("the server answered HTTP 500: {\"error\": \"CUDA out of memory\"}");
        }
        try (var server = new ScriptedSpeechLmServer(seen -> new Status(404, "{\"message\": \"The model `m` does not exist.\"}"));
             var client = client(server, "model=m&retries=2&backoff=10ms", null)) {
            Outcome outcome = client.ask(question("wrong-model")).get(10, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(SpeechLmStatus.FAILED);
            assertThat(outcome.attempts()).as("a 4xx is not retried").isEqualTo(1);
            assertThat(outcome.detail()).contains("HTTP 404").contains("does not exist");
        }
    }

    @Test
    void aServerThatIsNotThereFailsAfterTheRetries() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SpeechLmSettings settings = SpeechLmSettings.parse("speechlm:http://127.0.0.1:" + closedPort + "/v1?model=m&retries=1&backoff=10ms", false);
        try (var client = new SpeechLmClient(settings, 100, null)) {
            Outcome outcome = client.ask(question("nobody")).get(10, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(SpeechLmStatus.FAILED);
            assertThat(outcome.attempts()).isEqualTo(2);
            assertThat(outcome.detail()).startsWith("the request failed (ConnectException");
        }
    }

    @Test
    void aLateAnswerIsNotWaitedForBeyondTheTimeLimit() throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> new Late(Duration.ofSeconds(20), ANGRY));
             var client = client(server, "model=m&timeout=500ms&retries=2", null)) {
            long started = System.nanoTime();
            Outcome outcome = client.ask(question("slow")).get(10, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(outcome.status()).isEqualTo(SpeechLmStatus.TIMED_OUT);
            assertThat(outcome.detail()).isEqualTo("no answer within 500 ms");
            assertThat(outcome.attempts()).as("a timeout uses up the time, so no retry").isEqualTo(1);
            assertThat(tookMs).as("the 20 s answer was not waited for").isBetween(450L, 5_000L);
        }
    }

    @Test
    void requestsBeyondTheConcurrencyLimitKeepTheLocalResultAtOnce() throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> new Hang());
             var client = client(server, "model=m&concurrency=2&timeout=30s", null)) {
            CompletableFuture<Outcome> first = client.ask(question("1"));
            CompletableFuture<Outcome> second = client.ask(question("2"));
            Outcome third = client.ask(question("3")).get(1, TimeUnit.SECONDS);

            assertThat(third.status()).isEqualTo(SpeechLmStatus.BUSY);
            assertThat(third.attempts()).isZero();
            assertThat(client.inFlight()).isEqualTo(2);
            server.release();
            assertThat(List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS)))
                    .extracting(Outcome::status).containsOnly(SpeechLmStatus.FAILED);
            assertThat(server.mostConcurrent()).isLessThanOrEqualTo(2);
            assertThat(client.inFlight()).isZero();
        }
    }

    @Test
    void aPatientQuestionWaitsItsTurnInsteadOfFallingBack() throws Exception {
        try (var server = new ScriptedSpeechLmServer(seen -> new Late(Duration.ofMillis(200), ANGRY));
             var client = new SpeechLmClient(SpeechLmSettings.parse("speechlm:" + server.baseUrl() + "?model=m&concurrency=1", false),
                     4, null)) {
            long started = System.nanoTime();
            List<CompletableFuture<Outcome>> asked = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                asked.add(client.askPatiently(question("turn-" + i)));
            }
            List<SpeechLmStatus> statuses = new ArrayList<>();
            for (CompletableFuture<Outcome> outcome : asked) {
                statuses.add(outcome.get(20, TimeUnit.SECONDS).status());
            }

            assertThat(statuses).containsOnly(SpeechLmStatus.ANSWERED);
            assertThat(server.mostConcurrent()).isEqualTo(1);
            // One at a time at 200 ms each, and 4 tokens a second after the first four: at least 6 × 200 ms.
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(1_150);
        }
    }

    @Test
    void theBudgetLimitsRequestsPerSecond() throws Exception {
        // Time stands still but for the half second the test adds: the budget refills by exactly that much.
        long frozen = System.nanoTime();
        try (var server = new ScriptedSpeechLmServer(seen -> ANGRY);
             var client = new SpeechLmClient(SpeechLmSettings.parse("speechlm:" + server.baseUrl() + "?model=m", false), 2, null,
                     () -> frozen + skipped.get())) {
            List<SpeechLmStatus> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(client.ask(question("b" + i)).get(10, TimeUnit.SECONDS).status());
            }
            skipped.addAndGet(Duration.ofMillis(500).toNanos());
            statuses.add(client.ask(question("b3")).get(10, TimeUnit.SECONDS).status());
            statuses.add(client.ask(question("b4")).get(10, TimeUnit.SECONDS).status());

            assertThat(statuses).containsExactly(SpeechLmStatus.ANSWERED, SpeechLmStatus.ANSWERED, SpeechLmStatus.OVER_BUDGET,
                    SpeechLmStatus.ANSWERED, SpeechLmStatus.OVER_BUDGET);
            assertThat(server.requests()).hasSize(3);
        }
    }

    @Test
    void afterFailuresInARowTheCircuitOpensThenOneTrialClosesIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Function<ScriptedSpeechLmServer.Seen, Reply> downThenUp = seen ->
                calls.incrementAndGet() <= 4 ? new Status(502, "") : ANGRY;
        try (var server = new ScriptedSpeechLmServer(downThenUp);
             var client = client(server, "model=m&retries=0&breaker=3&breaker-open=10s", null)) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.ask(question("f" + i)).get(10, TimeUnit.SECONDS).status()).isEqualTo(SpeechLmStatus.FAILED);
            }
            Outcome open = client.ask(question("open")).get(10, TimeUnit.SECONDS);
            assertThat(open.status()).isEqualTo(SpeechLmStatus.CIRCUIT_OPEN);
            assertThat(open.detail()).startsWith("the last 3 requests failed, so none is sent for ");
            assertThat(server.requests()).as("nothing sent while open").hasSize(3);

            skipped.addAndGet(Duration.ofSeconds(10).toNanos());
            assertThat(client.ask(question("trial-fails")).get(10, TimeUnit.SECONDS).status()).isEqualTo(SpeechLmStatus.FAILED);
            assertThat(client.ask(question("open-again")).get(10, TimeUnit.SECONDS).status())
                    .as("a failed trial opens it again at once").isEqualTo(SpeechLmStatus.CIRCUIT_OPEN);

            skipped.addAndGet(Duration.ofSeconds(10).toNanos());
            assertThat(client.ask(question("trial")).get(10, TimeUnit.SECONDS).status()).isEqualTo(SpeechLmStatus.ANSWERED);
            assertThat(client.ask(question("closed")).get(10, TimeUnit.SECONDS).status()).isEqualTo(SpeechLmStatus.ANSWERED);
            assertThat(server.requests()).hasSize(6);
        }
    }

    private SpeechLmClient client(ScriptedSpeechLmServer server, String options, String apiKey) {
        SpeechLmSettings settings = SpeechLmSettings.parse("speechlm:" + server.baseUrl() + "?" + options, false);
        return new SpeechLmClient(settings, 1_000, apiKey, () -> System.nanoTime() + skipped.get());
    }

    static Question question(String utteranceId) {
        List<Cue> cues = List.of(new Cue("pitch_mean_hz", 210.0, "Hz", 1.8), new Cue("loudness_dbfs", -20.0, "dBFS", 0.2),
                new Cue("lexical_valence", -0.4, "", null));
        return new Question(utteranceId, tone(8_000), cues, "money back", LABELS);
    }

    /** Half a second of 200 Hz at varying level. */
    static float[] tone(int n) {
        float[] samples = new float[n];
        for (int i = 0; i < n; i++) {
            samples[i] = (float) (0.8 * Math.sin(2 * Math.PI * 200 * i / 16_000.0) * i / n);
        }
        return samples;
    }

    /** The samples of a 16-bit mono WAV, after checking its header says 16 kHz mono PCM. */
    static float[] wavSamples(byte[] wav) {
        ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(wav, 0, 4)).isEqualTo("RIFF");
        assertThat(new String(wav, 8, 8)).isEqualTo("WAVEfmt ");
        assertThat(in.getShort(20)).as("PCM").isEqualTo((short) 1);
        assertThat(in.getShort(22)).as("mono").isEqualTo((short) 1);
        assertThat(in.getInt(24)).as("16 kHz").isEqualTo(16_000);
        assertThat(in.getShort(34)).as("16-bit").isEqualTo((short) 16);
        int bytes = in.getInt(40);
        assertThat(bytes).isEqualTo(wav.length - 44);
        float[] samples = new float[bytes / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = in.getShort(44 + 2 * i) / 32767f;
        }
        return samples;
    }

    private static long millisBetween(ScriptedSpeechLmServer.Seen a, ScriptedSpeechLmServer.Seen b) {
        return (b.atNanos() - a.atNanos()) / 1_000_000;
    }

    private static int port(ScriptedSpeechLmServer server) {
        return Integer.parseInt(server.baseUrl().replaceAll(".*:(\\d+)/v1", "$1"));
    }
}
