package io.emostream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.audio.SampleDecoder;
import io.emostream.audio.SampleEncoding;
import io.emostream.job.segment.SegmentationRules;
import io.emostream.job.segment.Utterance;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.SpeakerRole;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real speech with known silences between, through Kafka and the job's segmentation with the real VAD model. */
@Timeout(180)
class SegmentationTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    private static final int RATE = 16000;

    @Test
    void speechRegionsBecomeUtterancesThatNeverSpanTheSilenceBetween() throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        // 1 s silence, speech, 1.5 s silence, speech, 1 s silence.
        ByteArrayOutputStream call = new ByteArrayOutputStream();
        long firstRegion = RATE;
        call.writeBytes(new byte[2 * RATE]);
        call.writeBytes(speech);
        long gapStart = call.size() / 2;
        call.writeBytes(new byte[3 * RATE]);
        long gapEnd = call.size() / 2;
        call.writeBytes(speech);
        long secondRegionEnd = call.size() / 2;
        call.writeBytes(new byte[2 * RATE]);
        byte[] audio = call.toByteArray();

        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 2).topic("dead", 1).start()) {
            List<ProducerRecord<byte[], byte[]>> records =
                    FlinkKafkaTestKit.chunked("audio", "podcast-1", SpeakerRole.HOST, "test:", audio);
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);

            JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead").withBounded(true)
                    .withGroupId("segmentation-test");
            List<Utterance> utterances = new ArrayList<>();
            try (CloseableIterator<Utterance> results = AudioPipeline.utterances(FlinkKafkaTestKit.environment(), config)
                    .executeAndCollect()) {
                results.forEachRemaining(utterances::add);
            }

            assertThat(utterances).allSatisfy(u -> {
                assertThat(u.callId).isEqualTo("podcast-1");
                assertThat(u.role).isEqualTo("HOST");
                assertThat(u.startSample < gapStart && u.endSample > gapEnd).as("utterance %s spans the gap", u.id()).isFalse();
                assertThat(u.samples).hasSize((int) (u.endSample - u.startSample));
            });
            assertThat(utterances).as("speech in the first region").anyMatch(u -> u.endSample <= gapEnd && u.startSample >= firstRegion - RATE);
            assertThat(utterances).as("speech in the second region").anyMatch(u -> u.startSample >= gapStart && u.endSample <= secondRegionEnd + RATE);
            assertThat(voicedCoverage(audio, utterances)).as("share of voiced audio inside an utterance").isGreaterThanOrEqualTo(0.8);
        }
    }

    /** Voiced = 32 ms windows above -35 dBFS, measured on the signal itself, not by the model. */
    private static double voicedCoverage(byte[] pcm, List<Utterance> utterances) {
        float[] signal = SampleDecoder.toFloat(pcm, SampleEncoding.PCM_S16LE);
        int window = 512;
        int voiced = 0;
        int covered = 0;
        for (int start = 0; start + window <= signal.length; start += window) {
            double energy = 0;
            for (int i = start; i < start + window; i++) {
                energy += signal[i] * signal[i];
            }
            if (10 * Math.log10(energy / window + 1e-12) > -35) {
                voiced++;
                long middle = start + window / 2;
                if (utterances.stream().anyMatch(u -> u.startSample <= middle && middle < u.endSample)) {
                    covered++;
                }
            }
        }
        assertThat(voiced).as("the fixture has voiced audio").isGreaterThan(100);
        return (double) covered / voiced;
    }

    @Test
    void audioLostInTransportEndsTheUtteranceBeforeItAndNothingSpansIt() throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        byte[] twice = new byte[speech.length * 2];
        System.arraycopy(speech, 0, twice, 0, speech.length);
        System.arraycopy(speech, 0, twice, speech.length, speech.length);
        int chunkBytes = 640;
        int lostFrom = (speech.length / 2) / chunkBytes;
        int lostChunks = 60;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 1).topic("dead", 1).start()) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int offset = 0, seq = 0; offset < twice.length; offset += chunkBytes, seq++) {
                if (seq >= lostFrom && seq < lostFrom + lostChunks) {
                    continue;
                }
                byte[] payload = Arrays.copyOfRange(twice, offset, Math.min(twice.length, offset + chunkBytes));
                records.add(FlinkKafkaTestKit.record("audio", AudioChunk.newBuilder().setCallId("lossy").setChannel(0)
                        .setRole(SpeakerRole.CUSTOMER).setSequence(seq).setFirstSample(offset / 2).setCaptureTimeMs(0)
                        .setIngestTimeMs(0).setSampleRate(RATE).setEncoding(AudioEncoding.PCM_S16LE)
                        .setPayload(ByteBuffer.wrap(payload)).setEndOfStream(offset + chunkBytes >= twice.length)
                        .setSource("test:").build()));
            }
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);

            JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead").withBounded(true)
                    .withGroupId("lossy-test");
            List<Utterance> utterances = new ArrayList<>();
            try (CloseableIterator<Utterance> results = AudioPipeline.utterances(FlinkKafkaTestKit.environment(), config)
                    .executeAndCollect()) {
                results.forEachRemaining(utterances::add);
            }

            long lostStart = (long) lostFrom * chunkBytes / 2;
            long lostEnd = lostStart + (long) lostChunks * chunkBytes / 2;
            assertThat(utterances).isNotEmpty().allSatisfy(u -> {
                assertThat(u.startSample < lostStart && u.endSample > lostEnd).as("%s spans the loss", u.id()).isFalse();
                assertThat(u.samples).hasSize((int) (u.endSample - u.startSample));
            });
            assertThat(utterances).anyMatch(u -> u.startSample >= lostEnd);
        }
    }

    @Test
    void aStreamThatStopsWithoutAnEndMarkerHasItsLastUtteranceEndedWhenItGoesIdle() throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 1).topic("dead", 1).start()) {
            List<ProducerRecord<byte[], byte[]>> records =
                    new ArrayList<>(FlinkKafkaTestKit.chunked("audio", "vanished", SpeakerRole.CUSTOMER, "test:", speech));
            // The producer vanished before its last chunk, which carried the end-of-stream marker.
            records.remove(records.size() - 1);
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);

            JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead")
                    .withGroupId("idle-test").withSegmentation(SegmentationRules.defaults().withIdleTimeoutMs(1500));
            List<Utterance> utterances = new ArrayList<>();
            try (CloseableIterator<Utterance> results = AudioPipeline.utterances(FlinkKafkaTestKit.environment(), config)
                    .executeAndCollect()) {
                while (utterances.stream().noneMatch(u -> u.endReason == Utterance.EndReason.IDLE)) {
                    utterances.add(results.next());
                }
            }

            Utterance last = utterances.get(utterances.size() - 1);
            assertThat(last.endReason).isEqualTo(Utterance.EndReason.IDLE);
            assertThat(last.endSample).isLessThanOrEqualTo(speech.length / 2);
            assertThat(last.samples).hasSize((int) (last.endSample - last.startSample));
        }
    }

    @Test
    void aBoundedRunEndsTheOpenUtteranceOfAStreamCutOffMidSpeechWithAGapBeforeItsEnd() throws Exception {
        byte[] speech = FlinkKafkaTestKit.fixturePcm("podcast-mono-16k.wav");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio", 1).topic("dead", 1).start()) {
            // 100 ms chunks: the fixture speaks from 1.8 s to 4.3 s; keep 3.6 s of it, lose 3.3-3.4 s and the end marker.
            List<ProducerRecord<byte[], byte[]>> records =
                    new ArrayList<>(FlinkKafkaTestKit.chunked("audio", "cut", SpeakerRole.CUSTOMER, "test:", speech).subList(0, 36));
            records.remove(33);
            FlinkKafkaTestKit.produce(kafka.bootstrapServers(), records);

            JobConfig config = JobConfig.defaults(kafka.bootstrapServers()).withTopics("audio", "dead").withBounded(true)
                    .withGroupId("cut-test");
            List<Utterance> utterances = new ArrayList<>();
            try (CloseableIterator<Utterance> results = AudioPipeline.utterances(FlinkKafkaTestKit.environment(), config)
                    .executeAndCollect()) {
                results.forEachRemaining(utterances::add);
            }

            Utterance last = utterances.stream().max(Comparator.comparingLong(u -> u.startSample)).orElseThrow();
            assertThat(last.endReason).isEqualTo(Utterance.EndReason.END_OF_INPUT);
            assertThat(last.endSample).as("the chunks after the gap are in it").isGreaterThanOrEqualTo(35 * 1600);
            assertThat(last.bridgedSamples).isEqualTo(1600);
        }
    }
}
