package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.codec.RecordCodec;
import io.emostream.testkit.TinyWhisperModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Runs {@code bin/emotion}'s command line in-process, as a user would call it, against a real broker. */
@Timeout(120)
class EmotionCliTest {
    private static final Path FIXTURES = Path.of(System.getProperty("emostream.fixtures"));
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void ingestingAFolderWithBadFilesNamesEachOneAndExitsWithOne() {
        Result result = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-folder",
                "--roles", "agent,customer", FIXTURES.toString());

        assertThat(result.status()).isEqualTo(EmotionCli.INPUT_FAILED);
        assertThat(result.out()).contains("call-stereo-8k-mulaw.wav -> call call-stereo-8k-mulaw: 2 ch (agent, customer), 8000 Hz μ-law, 4.85 s");
        assertThat(result.out()).contains("Ingested 8 of 13 inputs");
        List<String> rejections = result.err().lines().filter(l -> l.startsWith("rejected: ")).toList();
        assertThat(rejections).hasSize(5).allSatisfy(line -> assertThat(line).matches("rejected: \\S+bad-[a-z-]+\\.wav: .+"));
        assertThat(result.err()).contains("warning: " + FIXTURES.resolve("bad-truncated-data.wav") + ": audio data ends after");
        assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void goodFilesAloneExitWithZeroAndLandInTheTopic() throws Exception {
        Result result = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-good", "--partitions", "2",
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        try (var admin = kafka.admin()) {
            var topic = admin.describeTopics(Set.of("cli-good")).allTopicNames().get().get("cli-good");
            assertThat(topic.partitions()).as("missing topic created with --partitions").hasSize(2);
        }
        assertThat(result.out()).contains("44 chunks delivered");
    }

    @Test
    void aLongRecordingShowsHowFarItHasGot(@TempDir Path dir) throws IOException {
        // 70 s of 8 kHz 16-bit silence: long enough for a bar (60 s and up), quick to ingest.
        int rate = 8000;
        int dataBytes = 70 * rate * 2;
        java.nio.ByteBuffer wav = java.nio.ByteBuffer.allocate(44 + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes).put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        Path file = Files.write(dir.resolve("long.wav"), wav.array());

        Result result = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-long", file.toString(),
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(result.status()).isZero();
        List<String> bar = result.err().lines().filter(l -> l.startsWith("ingesting " + file)).toList();
        assertThat(bar).as(result.err()).hasSizeGreaterThanOrEqualTo(3).last().asString().startsWith("ingesting " + file + ": 1:10 of audio in ");
        assertThat(bar.get(0)).contains("of 1:10 of audio");
        assertThat(result.err()).as("short recordings get no bar").doesNotContain("ingesting " + FIXTURES);
    }

    @Test
    void badUsageIsOneSentenceWithAPointerToHelpAndExitTwo() {
        Result result = run("ingest", "--stdin", "some.wav");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("ingest: Give recordings or directories, --stdin, --url, --feed, or live endpoints"
                + " (--listen, --audiosocket, --siprec): exactly one of them."
                + System.lineSeparator() + "Run 'bin/emotion ingest --help' for the options." + System.lineSeparator());
    }

    @Test
    void aWrongOptionValueIsBadUsageNamingTheOption() {
        Result result = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--roles", "agent,boss",
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err().lines().findFirst()).contains(
                "ingest: --roles: unknown speaker role 'boss'; use one of agent, customer, host, guest, unknown.");
        assertThat(run("ingest", "--listen", "0", "--chunk-ms", "0").err())
                .startsWith("ingest: --chunk-ms must be between 10 and 1000, not 0.");
    }

    @Test
    void aMalformedBootstrapAddressIsOneSentenceNotATrace() {
        Result result = run("ingest", "--bootstrap", "localhost:abc", FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("ingest: The Kafka client settings are not usable (")
                .endsWith("check --bootstrap (HOST:PORT, comma-separated; now 'localhost:abc') and --kafka-config.");
    }

    @Test
    void aClientConfigThatWouldWeakenDeliveryIsRefused(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("client.properties"), "acks=1\nlinger.ms=20\n");

        Result result = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--kafka-config", config.toString(),
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().strip()).isEqualTo("ingest: the Kafka client config sets acks=1, but ingest needs acks=all"
                + " so that no chunk is lost; remove that setting");
    }

    @Test
    void chunksKafkaRefusesAreReportedPerFileAndExitWithOne() throws Exception {
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("cli-refusing", 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "1")))).all().get();
        }

        Result result = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-refusing",
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("not delivered: " + FIXTURES.resolve("podcast-mono-16k.wav")
                + ": 44 of 44 chunks of call podcast-mono-16k failed (first error: org.apache.kafka.common.errors.RecordTooLargeException");
    }

    @Test
    void rawAudioOnStandardInputBecomesOneCall() {
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(new byte[2 * 8000 * 3]));
            Result result = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--topic", "cli-stdin", "--stdin",
                    "--rate", "8000", "--encoding", "alaw", "--channels", "2", "--roles", "agent,customer", "--call-id", "desk-7");

            assertThat(result.status()).isZero();
            assertThat(result.out()).startsWith("standard input -> call desk-7: 2 ch (agent, customer), 8000 Hz alaw, 3.00 s, 62 chunks");
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void aMissingKafkaConfigFileIsNamed() {
        Result result = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--kafka-config", "/no/such/client.properties",
                FIXTURES.resolve("podcast-mono-16k.wav").toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().strip()).isEqualTo("ingest: Kafka client config /no/such/client.properties does not exist");
    }

    @Test
    void listeningBeyondThisMachineWithoutATokenIsRefused() {
        Result result = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--listen", "0", "--host", "0.0.0.0");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("ingest: Listening on 0.0.0.0 would let anyone who reaches it stream audio");
    }

    @Test
    void aBrokerPortInUseIsReportedInOneSentence() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result result = run("broker", "--temp", "--port", Integer.toString(taken.getLocalPort()));

            assertThat(result.status()).isEqualTo(1);
            assertThat(result.err().strip()).isEqualTo("broker: Port " + taken.getLocalPort()
                    + " on 127.0.0.1 is in use (is another Kafka running?); stop it, or choose another port with --port.");
        }
    }

    @Test
    void theStageBenchmarkRunsEveryStage(@TempDir Path dir) throws Exception {
        Path model = TinyWhisperModel.write(dir.resolve("ggml-test.bin"), List.of("Hello"));
        Result result = run("bench", "stages", "--speech", FIXTURES.resolve("podcast-mono-16k.wav").toString(),
                "--streams", "2", "--seconds", "1", "--runs", "1", "--asr", "whisper:" + model);

        assertThat(result.status()).isZero();
        assertThat(result.out().lines().filter(line -> line.startsWith("| ") && !line.startsWith("| stage"))).hasSize(6);
        assertThat(result.out()).contains("| speech recognition (whisper:" + model + ", 4 s utterance) | ");
        assertThat(result.out()).contains("VAD batched / one stream per call:");
    }

    @Test
    void sinksAggregatesAnExistingKafkasEventsAndServesThemOnTheDashboard(@TempDir Path dir) throws Exception {
        kafka.createTopics(1, "emotion.events", "calls.summary", "groups.summary", "alerts", "dead-letter");
        Result missing = run("sinks", "--bootstrap", kafka.bootstrapServers(), "--port", "0", "--state-dir", dir.toString());
        assertThat(missing.status()).isEqualTo(EmotionCli.INPUT_FAILED);
        assertThat(missing.err()).isEqualTo("sinks: The Streams application reads topics emotion.events and streams.ended,"
                + " and one of them does not exist on " + kafka.bootstrapServers() + "; create both with the same number"
                + " of partitions (bin/emotion broker, the deploy manifests and docker-compose.yml create every emostream"
                + " topic)." + System.lineSeparator());
        kafka.createTopics(1, "streams.ended");
        RecordCodec<EmotionEvent> codec = RecordCodec.of(EmotionEvent.class);
        EmotionEvent event = EmotionEvent.newBuilder().setUtteranceId("cli-sinks-1/1/0").setCallId("cli-sinks-1").setChannel(1)
                .setRole(SpeakerRole.CUSTOMER).setSource("test:").setStartMs(0).setEndMs(2000).setLabel("angry")
                .setScores(Map.of("angry", 1.0)).setArousal(0.8).setValence(-0.5).setConfidence(0.9).setRationale("loud → angry.")
                .setModelId("test").setLastChunkIngestTimeMs(0).setVadEndTimeMs(0).setEmitTimeMs(System.currentTimeMillis()).build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("emotion.events", "cli-sinks-1", codec.encode(event))).get();
        }
        StringWriter out = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        Thread sinks = new Thread(() -> cli.execute("sinks", "--bootstrap", kafka.bootstrapServers(), "--port", "0",
                "--state-dir", dir.toString(), "--application-id", "cli-sinks"));
        sinks.start();
        try {
            String body = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!body.contains("cli-sinks-1") && System.nanoTime() < deadline) {
                Thread.sleep(300);
                java.util.regex.Matcher url = java.util.regex.Pattern.compile("dashboard at (http://\\S+/)").matcher(out.toString());
                if (url.find()) {
                    body = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(url.group(1) + "api/calls")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                }
            }
            assertThat(body).contains("\"callId\":\"cli-sinks-1\"").contains("\"utterances\":1");
        } finally {
            sinks.interrupt();
            sinks.join(30_000);
        }
        assertThat(sinks.isAlive()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "ingest", "broker", "analyze", "evaluate", "sinks", "tail", "bench", "bench ingest", "bench stages", "bench decode", "bench streams", "build-engine"})
    void everyCommandHasHelp(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        Result result = run(args.toArray(String[]::new));

        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("Usage: emotion " + command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bench"})
    void theCommandListSummarisesEachCommandInAWholeSentence(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command));
        args.add("--help");
        Result result = run(args.toArray(String[]::new));

        // "  name   Summary that may wrap" then continuation lines indented further, up to the end of the list.
        Map<String, String> summaries = new LinkedHashMap<>();
        String current = null;
        boolean inList = false;
        for (String line : result.out().lines().toList()) {
            if (line.equals("Commands:")) {
                inList = true;
            } else if (inList && line.matches(" {2}[a-z-]+ +\\S.*")) {
                current = line.strip().split(" +", 2)[0];
                summaries.put(current, line.strip().split(" +", 2)[1]);
            } else if (inList && current != null && line.startsWith("    ")) {
                summaries.merge(current, line.strip(), (a, b) -> a + " " + b);
            } else if (inList && current != null) {
                break;
            }
        }
        CommandLine parent = command.isEmpty() ? EmotionCli.commandLine() : EmotionCli.commandLine().getSubcommands().get(command);
        assertThat(summaries.keySet()).containsExactlyInAnyOrderElementsOf(parent.getSubcommands().keySet());
        summaries.forEach((name, summary) -> assertThat(summary).as(name).matches("[A-Z].*\\.").doesNotContain(". "));
    }

    @Test
    void listenTakesALiveCallWithTheTokenFromAFileAndStopsCleanly(@TempDir Path dir) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token.txt"), "t0ken\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        AtomicReference<Result> result = new AtomicReference<>();
        Thread command = new Thread(() -> result.set(run("ingest", "--bootstrap", kafka.bootstrapServers(), "--topic",
                "cli-live", "--listen", Integer.toString(port), "--token-file", tokenFile.toString())));
        command.start();
        awaitListening(port);

        LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer t0ken")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/audio"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        replies.add(data.toString());
                        socket.request(1);
                        return null;
                    }
                }).join();
        ws.sendText("{\"type\":\"start\",\"callId\":\"cli-live-1\",\"sampleRate\":16000,\"encoding\":\"s16le\"}", true).join();
        ws.sendBinary(ByteBuffer.wrap(new byte[2 * 16000]), true).join();
        ws.sendText("{\"type\":\"end\"}", true).join();

        assertThat(replies.poll(20, TimeUnit.SECONDS)).contains("started");
        assertThat(replies.poll(20, TimeUnit.SECONDS)).contains("\"chunks\":11", "\"deliveredChunks\":11", "\"failedChunks\":0");
        command.interrupt();
        command.join(30_000);
        assertThat(result.get().status()).isZero();
        assertThat(result.get().out()).startsWith("Listening for live calls on 127.0.0.1; chunks go to cli-live at "
                + kafka.bootstrapServers()).contains("ws://127.0.0.1:" + port + "/v1/audio (emostream's own protocol;"
                + " bearer token required)", "ws://127.0.0.1:" + port + "/audiohook (Genesys AudioHook; no authentication)",
                "Live calls: 1 started, 0 refused, 0 not delivered to Kafka.");
    }

    @Test
    void aTwilioTokenOnANonLocalInterfaceNeedsThePublicUrl(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token.txt"), "t0ken\n");
        Path twilio = Files.writeString(dir.resolve("twilio.txt"), "twilio-auth-token\n");

        Result result = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--host", "0.0.0.0", "--listen", "0",
                "--token-file", token.toString(), "--twilio-auth-token-file", twilio.toString());

        assertThat(result.status()).isEqualTo(EmotionCli.INPUT_FAILED);
        assertThat(result.err()).contains("give it with --twilio-public-url, e.g. wss://ingest.example.com/twilio.");
    }

    @Test
    void liveEndpointsOnANonLocalInterfaceNeedTheirOwnAuthentication() {
        Result audioSocket = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--host", "0.0.0.0",
                "--audiosocket", "0");

        assertThat(audioSocket.status()).isEqualTo(EmotionCli.INPUT_FAILED);
        assertThat(audioSocket.err()).contains("AudioSocket has no authentication: on 0.0.0.0 give --audiosocket-allow"
                + " with Asterisk's addresses, or --no-auth if anyone may stream.").doesNotContain("\tat ");

        Result siprec = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--host", "0.0.0.0", "--siprec", "0");
        assertThat(siprec.status()).isEqualTo(EmotionCli.INPUT_FAILED);
        assertThat(siprec.err()).contains("SIPREC has no authentication SBCs use: on 0.0.0.0 give --siprec-allow");

        Result badAllowList = run("ingest", "--bootstrap", kafka.bootstrapServers(), "--audiosocket", "0",
                "--audiosocket-allow", "asterisk.example.com");
        assertThat(badAllowList.status()).isEqualTo(EmotionCli.INPUT_FAILED);
        assertThat(badAllowList.err()).contains("--audiosocket-allow: ");
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("ingest --listen did not open port " + port + " within 30 s");
    }
}
