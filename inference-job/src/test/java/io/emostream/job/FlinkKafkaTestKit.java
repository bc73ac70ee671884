package io.emostream.job;

import io.emostream.audio.wav.WavReader;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.kafka.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the job's integration tests share: a fail-fast Flink environment and a way to put records in Kafka. */
final class FlinkKafkaTestKit {
    private FlinkKafkaTestKit() {
    }

    /** Two-way parallel, and a failure fails the test instead of restarting forever. */
    static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, AudioChunk chunk) {
        return new ProducerRecord<>(topic, chunk.getCallId().getBytes(StandardCharsets.UTF_8),
                AvroSerde.of(AudioChunk.class).serializer().serialize(topic, chunk));
    }

    /** The 16-bit PCM samples of a mono 16 kHz fixture, as bytes. */
    static byte[] fixturePcm(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("emostream.fixtures"), name))) {
            WavReader wav = WavReader.open(in);
            ByteArrayOutputStream pcm = new ByteArrayOutputStream();
            byte[][] channels;
            while ((channels = wav.readChannels(4096)) != null) {
                pcm.writeBytes(channels[0]);
            }
            return pcm.toByteArray();
        }
    }

    /** 16 kHz PCM cut into 100 ms chunks of one speaker stream, the last marked end-of-stream. */
    static List<ProducerRecord<byte[], byte[]>> chunked(String topic, String callId, SpeakerRole role, String source, byte[] pcm) {
        return chunked(topic, callId, role, source, pcm, null, null);
    }

    /** The same, naming the speaker and the call's series on every chunk. */
    static List<ProducerRecord<byte[], byte[]>> chunked(String topic, String callId, SpeakerRole role, String source, byte[] pcm,
                                                        String speaker, String series) {
        return chunked(topic, callId, 0, null, role, source, pcm, speaker, series);
    }

    /** The same for channel {@code channel} of a call that declares {@code channels} channels (null: not said). */
    static List<ProducerRecord<byte[], byte[]>> chunked(String topic, String callId, int channel, Integer channels,
                                                        SpeakerRole role, String source, byte[] pcm, String speaker,
                                                        String series) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int chunkBytes = 3200;
        for (int offset = 0, seq = 0; offset < pcm.length; offset += chunkBytes, seq++) {
            records.add(record(topic, AudioChunk.newBuilder().setCallId(callId).setChannel(channel).setChannels(channels).setRole(role)
                    .setSequence(seq).setFirstSample(offset / 2).setCaptureTimeMs(0).setIngestTimeMs(1000 + seq)
                    .setSampleRate(16000).setEncoding(AudioEncoding.PCM_S16LE)
                    .setPayload(ByteBuffer.wrap(Arrays.copyOfRange(pcm, offset, Math.min(pcm.length, offset + chunkBytes))))
                    .setEndOfStream(offset + chunkBytes >= pcm.length).setSource(source)
                    .setSpeaker(speaker).setSeries(series).build()));
        }
        return records;
    }

    static void produce(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get();
            }
        }
    }
}
