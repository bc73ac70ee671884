package io.emostream.launcher.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.kafka.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The bench's load, read back from a real broker: paced chunks of looped speech, and an end marker per stream. */
class LiveLoadTest {
    private static final int STREAMS = 3;
    private static final long CHUNK_MS = 100;
    private static final int CHUNK_SAMPLES = 1_600;
    /** Half a second of "speech" whose every sample has its own 16-bit value, so a chunk shows where it was cut. */
    private static final float[] SPEECH = new float[8_000];

    static {
        for (int i = 0; i < SPEECH.length; i++) {
            SPEECH[i] = (i - SPEECH.length / 2f) / (SPEECH.length / 2f);
        }
    }

    @Test
    void everyStreamSendsPacedConsecutiveChunksOfTheLoopedSpeechAndEndsWithAMarker() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("load", 1).start();
             ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(kafka.bootstrapServers(), "load"))) {
            LiveLoad load = new LiveLoad(publisher, SPEECH, STREAMS, CHUNK_MS, "call", 7);
            load.start();
            Thread.sleep(700);
            load.finish();
            publisher.flush();
            assertThat(load.sendErrors()).isZero();

            Map<String, List<AudioChunk>> streams = read(kafka.bootstrapServers(), "load");
            assertThat(streams).containsOnlyKeys("call-0", "call-1", "call-2");
            Set<Integer> startingPoints = new HashSet<>();
            for (List<AudioChunk> chunks : streams.values()) {
                AudioChunk end = chunks.get(chunks.size() - 1);
                List<AudioChunk> audio = chunks.subList(0, chunks.size() - 1);
                assertThat(audio).as("about 7 chunks in 0.7 s").hasSizeGreaterThanOrEqualTo(3)
                        .noneMatch(AudioChunk::getEndOfStream);
                assertThat(end.getEndOfStream()).as("the stream ends as a call that hangs up").isTrue();
                assertThat(end.getPayload().remaining()).isZero();
                assertThat(end.getSequence()).isEqualTo(audio.size());
                assertThat(end.getFirstSample()).isEqualTo((long) audio.size() * CHUNK_SAMPLES);

                short[] first = samples(audio.get(0));
                int start = indexOf(first[0]);
                startingPoints.add(start);
                for (int k = 0; k < audio.size(); k++) {
                    AudioChunk chunk = audio.get(k);
                    assertThat(chunk.getSequence()).isEqualTo(k);
                    assertThat(chunk.getFirstSample()).isEqualTo((long) k * CHUNK_SAMPLES);
                    assertThat(chunk.getSampleRate()).isEqualTo(16_000);
                    short[] pcm = samples(chunk);
                    assertThat(pcm).hasSize(CHUNK_SAMPLES);
                    for (int i = 0; i < pcm.length; i++) {
                        int expected = (start + k * CHUNK_SAMPLES + i) % SPEECH.length;
                        assertThat(pcm[i]).as("sample %d of chunk %d", i, k).isEqualTo(pcm(SPEECH[expected]));
                    }
                    if (k > 0) {
                        assertThat(chunk.getCaptureTimeMs() - audio.get(k - 1).getCaptureTimeMs()).as("paced at real time")
                                .isEqualTo(CHUNK_MS);
                    }
                }
            }
            assertThat(startingPoints).as("each stream from its own point of the speech").hasSize(STREAMS);
        }
    }

    private static Map<String, List<AudioChunk>> read(String bootstrap, String topic) {
        Map<String, List<AudioChunk>> streams = new LinkedHashMap<>();
        int ends = 0;
        try (KafkaConsumer<String, AudioChunk> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "live-load-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                AvroSerde.of(AudioChunk.class).deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ends < STREAMS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, AudioChunk> record : consumer.poll(Duration.ofMillis(200))) {
                    streams.computeIfAbsent(record.value().getCallId(), id -> new ArrayList<>()).add(record.value());
                    ends += record.value().getEndOfStream() ? 1 : 0;
                }
            }
        }
        return streams;
    }

    private static short[] samples(AudioChunk chunk) {
        ByteBuffer payload = chunk.getPayload().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[payload.remaining() / 2];
        payload.asShortBuffer().get(out);
        return out;
    }

    private static short pcm(float sample) {
        return (short) Math.round(sample * 32767f);
    }

    private static int indexOf(short value) {
        for (int i = 0; i < SPEECH.length; i++) {
            if (pcm(SPEECH[i]) == value) {
                return i;
            }
        }
        throw new AssertionError("a sample that is not in the speech: " + value);
    }
}
