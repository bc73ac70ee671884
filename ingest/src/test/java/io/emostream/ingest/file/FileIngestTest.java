package io.emostream.ingest.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.ChunkTopic;
import io.emostream.ingest.WavFiles;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.kafka.KafkaUnavailableException;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class FileIngestTest {
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

    record Fixture(String file, String expect, int sampleRate, int channels, String sourceFormat, long frames, String note) {
    }

    static List<Fixture> manifest() throws IOException {
        return Files.readAllLines(FIXTURES.resolve("fixtures.tsv")).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.split("\t"))
                .map(f -> new Fixture(f[0], f[1], f[2].equals("-") ? 0 : Integer.parseInt(f[2]),
                        f[3].equals("-") ? 0 : Integer.parseInt(f[3]), f[4],
                        f[5].equals("-") ? 0 : Long.parseLong(f[5]), f[7]))
                .toList();
    }

    @Test
    void everyFixtureIsIngestedBitExactlyOrRejectedWithItsReason() throws IOException {
        String topic = "fixtures";
        List<IngestOutcome> told = new ArrayList<>();
        List<IngestOutcome> outcomes;
        try (ChunkPublisher publisher = ChunkPublisher.open(new KafkaSettings(kafka.bootstrapServers(), topic, 3, new Properties()))) {
            FileIngest ingest = new FileIngest(publisher, new FileIngest.Options(100, false,
                    List.of(SpeakerRole.AGENT, SpeakerRole.CUSTOMER), null), told::add);
            outcomes = ingest.ingestPaths(List.of(FIXTURES));
            publisher.flush();
            assertThat(publisher.failed()).isZero();
        }
        assertThat(told).containsExactlyInAnyOrderElementsOf(outcomes);
        Map<String, IngestOutcome> byFile = outcomes.stream()
                .collect(Collectors.toMap(o -> Path.of(o.input()).getFileName().toString(), Function.identity()));
        List<Fixture> fixtures = manifest();
        assertThat(byFile).hasSize(fixtures.size());

        List<Fixture> readable = fixtures.stream().filter(f -> !f.expect().equals("reject")).toList();
        int channels = readable.stream().mapToInt(Fixture::channels).sum();
        ChunkTopic topicContent = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, channels);

        for (Fixture fixture : fixtures) {
            IngestOutcome outcome = byFile.get(fixture.file());
            if (fixture.expect().equals("reject")) {
                assertThat(outcome).as(fixture.file()).isInstanceOf(IngestOutcome.Rejected.class);
                assertThat(((IngestOutcome.Rejected) outcome).reason()).as(fixture.file()).containsAnyOf(keywords(fixture));
                continue;
            }
            assertThat(outcome).as(fixture.file()).isInstanceOf(IngestOutcome.Ingested.class);
            IngestOutcome.Ingested ingested = (IngestOutcome.Ingested) outcome;
            assertThat(ingested.warnings()).as(fixture.file()).hasSize(fixture.expect().equals("warn") ? 1 : 0);
            String callId = ingested.callId();
            for (int channel = 0; channel < fixture.channels(); channel++) {
                List<AudioChunk> stream = topicContent.stream(callId, channel);
                assertThat(stream).extracting(AudioChunk::getSequence).as("order of %s ch %d", callId, channel)
                        .containsExactlyElementsOf(sequence(stream.size()));
                assertThat(stream).filteredOn(AudioChunk::getEndOfStream).hasSize(1);
                assertThat(stream.get(stream.size() - 1).getEndOfStream()).isTrue();
                assertThat(stream).extracting(AudioChunk::getSampleRate).containsOnly(fixture.sampleRate());
                AudioEncoding encoding = stream.get(0).getEncoding();
                byte[] audio = topicContent.audio(callId, channel);
                assertThat(audio.length / (encoding == AudioEncoding.PCM_S16LE ? 2 : 1)).as(fixture.file())
                        .isEqualTo(fixture.frames());
                if (List.of("PCM 16-bit", "μ-law", "A-law").contains(fixture.sourceFormat())) {
                    assertThat(Arrays.equals(audio, WavFiles.channelBytes(FIXTURES.resolve(fixture.file()), channel)))
                            .as("%s channel %d reassembles bit-exactly", fixture.file(), channel).isTrue();
                }
            }
        }
        assertPerCallOrderWithinOnePartition(topicContent);
    }

    @Test
    void stereoChannelsBecomeSpeakerStreamsWithTheirRoles() throws IOException {
        String topic = "stereo";
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), topic))) {
            new FileIngest(publisher, new FileIngest.Options(20, false, List.of(SpeakerRole.AGENT, SpeakerRole.CUSTOMER),
                    "call-0001"), o -> { }).ingestPaths(List.of(FIXTURES.resolve("call-stereo-8k-mulaw.wav")));
        }
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 2);

        assertThat(content.callIds()).containsExactly("call-0001");
        assertThat(content.stream("call-0001", 0)).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.AGENT);
        assertThat(content.stream("call-0001", 1)).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.CUSTOMER);
        assertThat(content.stream("call-0001", 0)).extracting(AudioChunk::getEncoding).containsOnly(AudioEncoding.MULAW);
        assertThat(content.stream("call-0001", 0).get(1).getPayload().remaining()).as("20 ms at 8 kHz").isEqualTo(160);
        assertThat(content.stream("call-0001", 1)).extracting(AudioChunk::getSource).containsOnly("file:call-stereo-8k-mulaw.wav");
        assertThat(content.audio("call-0001", 0)).isNotEqualTo(content.audio("call-0001", 1));
    }

    @Test
    void anExcerptIsExactlyTheFramesBetweenItsStartAndEnd() throws IOException {
        String topic = "excerpts";
        Path stereo = FIXTURES.resolve("call-stereo-8k-mulaw.wav");
        Path podcast = FIXTURES.resolve("podcast-mono-16k.wav");
        List<IngestOutcome> outcomes = new ArrayList<>();
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), topic))) {
            FileIngest ingest = new FileIngest(publisher, new FileIngest.Options(100, false, List.of(), null), o -> { });
            outcomes.add(ingest.ingestExcerpt(stereo, "middle", 1.25, 3.5));
            outcomes.add(ingest.ingestExcerpt(podcast, "tail", 4.0, 9.0));
            outcomes.add(ingest.ingestExcerpt(podcast, "after", 5.0, Double.POSITIVE_INFINITY));
            publisher.flush();
        }
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 3);

        // 8 kHz μ-law, one byte a sample: 1.25 s to 3.5 s is bytes 10,000 to 28,000 of each channel.
        for (int channel = 0; channel < 2; channel++) {
            assertThat(content.audio("middle", channel)).as("channel %d", channel)
                    .isEqualTo(Arrays.copyOfRange(WavFiles.channelBytes(stereo, channel), 10_000, 28_000));
        }
        assertThat(content.stream("middle", 0)).extracting(AudioChunk::getSource).containsOnly("file:call-stereo-8k-mulaw.wav#t=1.25,3.5");
        assertThat(((IngestOutcome.Ingested) outcomes.get(0)).seconds()).isEqualTo(2.25);
        // The podcast has 69,732 frames (4.358 s) at 16 kHz: from 4 s to its end is frames 64,000 to 69,732.
        assertThat(content.audio("tail", 0)).isEqualTo(Arrays.copyOfRange(WavFiles.channelBytes(podcast, 0), 128_000, 139_464));
        assertThat(((IngestOutcome.Ingested) outcomes.get(1)).warnings())
                .containsExactly("the segment ends at 9.00 s, after the audio, which ends at 4.36 s");
        assertThat(outcomes.get(2)).isEqualTo(new IngestOutcome.Rejected(podcast.toString(),
                "is 4.36 s long, so the segment starting at 5.00 s holds no audio"));
    }

    @Test
    void realtimePlaysEachFileAtItsOwnSpeedAndSeveralAtOnce(@TempDir Path dir) throws IOException {
        String topic = "realtime";
        Path a = WavFiles.writePcm16(dir.resolve("a.wav"), 16000, 1, WavFiles.tone(16000, 1.0));
        Path b = WavFiles.writePcm16(dir.resolve("b.wav"), 16000, 1, WavFiles.tone(16000, 1.0));
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), topic))) {
            new FileIngest(publisher, new FileIngest.Options(100, true, List.of(), null), o -> { })
                    .ingestPaths(List.of(a, b));
        }
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 2);

        List<AudioChunk> callA = content.stream("a", 0);
        List<AudioChunk> callB = content.stream("b", 0);
        long spanA = callA.get(callA.size() - 1).getIngestTimeMs() - callA.get(0).getIngestTimeMs();
        assertThat(spanA).as("1 s of audio in 100 ms chunks is paced over about 0.9 s").isGreaterThanOrEqualTo(850);
        assertThat(callB.get(0).getIngestTimeMs()).as("b started before a finished")
                .isLessThan(callA.get(callA.size() - 1).getIngestTimeMs());
    }

    @Test
    void rawSamplesFromAStreamArriveIntactAndADanglingByteIsReported() {
        String topic = "raw";
        byte[] interleaved = new byte[2 * 2 * 16000 + 3];
        new Random(3).nextBytes(interleaved);
        CallFormat format = new CallFormat("stdin-call", 16000, AudioEncoding.PCM_S16LE,
                List.of(SpeakerRole.HOST, SpeakerRole.GUEST), "stdin:");
        IngestOutcome outcome;
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), topic))) {
            outcome = new FileIngest(publisher, new FileIngest.Options(100, false, List.of(), null), o -> { })
                    .ingestRawStream("standard input", new ByteArrayInputStream(interleaved), format);
            publisher.flush();
            assertThat(publisher.failed()).isZero();
        }
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 2);

        assertThat(outcome).isInstanceOf(IngestOutcome.Ingested.class);
        assertThat(((IngestOutcome.Ingested) outcome).warnings()).singleElement().asString().contains("last 3 bytes were dropped");
        byte[] guest = content.audio("stdin-call", 1);
        assertThat(guest).hasSize(32000);
        assertThat(Arrays.copyOfRange(guest, 0, 4)).containsExactly(interleaved[2], interleaved[3], interleaved[6], interleaved[7]);
    }

    @Test
    void anUnreachableBrokerIsReportedInOneSentence() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Properties quick = new Properties();
        quick.setProperty("default.api.timeout.ms", "2000");

        assertThatThrownBy(() -> ChunkPublisher.open(new KafkaSettings("127.0.0.1:" + closedPort, "t", 1, quick)))
                .isInstanceOf(KafkaUnavailableException.class)
                .hasMessageStartingWith("Kafka at 127.0.0.1:" + closedPort + " did not answer within 2.0 s")
                .hasMessageEndingWith("check --bootstrap, or start a local broker with 'bin/emotion broker'.");
    }

    private static void assertPerCallOrderWithinOnePartition(ChunkTopic content) {
        Map<String, List<ConsumerRecord<String, AudioChunk>>> byCall = content.records().stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key));
        byCall.forEach((call, records) -> assertThat(records).extracting(ConsumerRecord::partition)
                .as("partitions of %s", call).containsOnly(records.get(0).partition()));
    }

    private static List<Long> sequence(int n) {
        List<Long> s = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            s.add(i);
        }
        return s;
    }

    /** Words the reader's one-sentence reason must use for each kind of bad file in the manifest. */
    private static String[] keywords(Fixture fixture) {
        return switch (fixture.note()) {
            case "empty" -> new String[] {"empty"};
            case "not a WAV file" -> new String[] {"not a WAV", "not audio"};
            case "header truncated" -> new String[] {"header"};
            case "no audio data" -> new String[] {"no audio data"};
            default -> new String[] {fixture.note().contains("0x0011") ? "0x0011" : fixture.note()};
        };
    }

    @Test
    void callIdsStayUniqueWhateverTheFileNamesAndAFileGivenTwiceGoesInOnce(@TempDir Path dir) throws IOException {
        String topic = "names";
        Path x = Files.createDirectories(dir.resolve("x"));
        Path y = Files.createDirectories(dir.resolve("y"));
        short[] tone = WavFiles.tone(8000, 0.2);
        Path first = WavFiles.writePcm16(x.resolve("a.wav"), 8000, 1, tone);
        WavFiles.writePcm16(y.resolve("a.wav"), 8000, 1, tone);
        WavFiles.writePcm16(dir.resolve("a-2.wav"), 8000, 1, tone);
        List<IngestOutcome> outcomes;
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), topic))) {
            outcomes = new FileIngest(publisher, new FileIngest.Options(100, false, List.of(), null), o -> { })
                    .ingestPaths(List.of(x.resolve("a.wav"), y.resolve("a.wav"), dir.resolve("a-2.wav"), first));
        }

        assertThat(outcomes).filteredOn(IngestOutcome.Ingested.class::isInstance)
                .extracting(o -> ((IngestOutcome.Ingested) o).callId()).containsExactly("a", "a-2", "a-2-2");
        assertThat(outcomes).filteredOn(IngestOutcome.Rejected.class::isInstance).singleElement()
                .extracting(o -> ((IngestOutcome.Rejected) o).reason()).isEqualTo("is given more than once; it is ingested once");
    }

    @Test
    void aStopRequestEndsEveryCallAtTheAudioReadSoFar(@TempDir Path dir) throws Exception {
        String topic = "stopped";
        Path longCall = WavFiles.writePcm16(dir.resolve("long.wav"), 16000, 1, WavFiles.tone(16000, 30));
        List<IngestOutcome> outcomes;
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), topic))) {
            FileIngest ingest = new FileIngest(publisher, new FileIngest.Options(100, true, List.of(), null), o -> { });
            Thread stopper = new Thread(() -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
                ingest.requestStop();
            });
            stopper.start();
            outcomes = ingest.ingestPaths(List.of(longCall));
            stopper.join();
        }
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 1, "long");

        IngestOutcome.Ingested stopped = (IngestOutcome.Ingested) outcomes.get(0);
        assertThat(stopped.warnings()).singleElement().asString().startsWith("stopped on request after");
        assertThat(stopped.seconds()).isLessThan(10);
        assertThat(content.stream("long", 0)).last().matches(AudioChunk::getEndOfStream);
        assertThat(content.audio("long", 0)).hasSize((int) Math.round(stopped.seconds() * 16000) * 2);
    }

    @Test
    void aReadErrorPartWayEndsTheCallAndSaysHowMuchWasSent() {
        String topic = "broken";
        InputStream breaksAfterOneSecond = new InputStream() {
            private int left = 16000 * 2;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("device unplugged");
                }
                return 0;
            }
        };
        CallFormat format = new CallFormat("broken-call", 16000, AudioEncoding.PCM_S16LE, List.of(SpeakerRole.UNKNOWN), "stdin:");
        IngestOutcome outcome;
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), topic))) {
            outcome = new FileIngest(publisher, new FileIngest.Options(100, false, List.of(), null), o -> { })
                    .ingestRawStream("standard input", breaksAfterOneSecond, format);
        }
        ChunkTopic content = ChunkTopic.readUntilEnds(kafka.bootstrapServers(), topic, 1, "broken-call");

        assertThat(((IngestOutcome.Rejected) outcome).reason()).isEqualTo("cannot be read (device unplugged) after 1.00 s"
                + " of audio; those were sent as call broken-call, which was ended there");
        assertThat(content.audio("broken-call", 0)).hasSize(32000);
        assertThat(content.stream("broken-call", 0)).last().matches(AudioChunk::getEndOfStream);
    }

    @Test
    void chunksKafkaRefusesAreCountedAgainstTheirCall() throws Exception {
        String topic = "refusing";
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "1")))).all().get();
        }
        List<IngestOutcome> outcomes;
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), topic))) {
            outcomes = new FileIngest(publisher, new FileIngest.Options(100, false, List.of(), null), o -> { })
                    .ingestPaths(List.of(FIXTURES.resolve("podcast-mono-16k.wav")));
            publisher.flush();
        }

        IngestOutcome.Ingested call = (IngestOutcome.Ingested) outcomes.get(0);
        assertThat(call.delivery().settled()).isCompleted();
        assertThat(call.delivery().failed()).isEqualTo(call.chunks());
        assertThat(call.delivery().firstFailure()).contains("RecordTooLargeException");
    }
}
