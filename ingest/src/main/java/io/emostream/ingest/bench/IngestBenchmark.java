package io.emostream.ingest.bench;

import io.emostream.audio.G711;
import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.schema.SpeakerRole;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures ingest throughput into Kafka: WAV calls held in memory are parsed, cut into chunks and produced as
 * fast as the pipeline allows, and the clock stops when the broker has acknowledged every chunk. Memory-held
 * input keeps disk speed out of the figure; everything after the file read is the real path.
 */
public final class IngestBenchmark {

    /** One configuration to measure: {@code calls} stereo calls of {@code secondsPerCall} each. */
    public record Scenario(int calls, double secondsPerCall, int sampleRate, boolean mulaw, int chunkMs) {
        public double audioSeconds() {
            return calls * secondsPerCall * 2;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%d stereo calls x %.0f s, %d Hz %s, %d ms chunks", calls,
                    secondsPerCall, sampleRate, mulaw ? "μ-law" : "PCM 16-bit", chunkMs);
        }
    }

    /** One timed run: audio-seconds of speaker streams (channels counted separately) and chunks per wall second. */
    public record Run(double wallSeconds, double cpuSeconds, long chunks, double audioSeconds) {
        public double audioSecondsPerSecond() {
            return audioSeconds / wallSeconds;
        }

        public double chunksPerSecond() {
            return chunks / wallSeconds;
        }
    }

    private IngestBenchmark() {
    }

    /** Runs the scenario {@code warmups + runs} times and returns the timed runs. */
    public static List<Run> measure(KafkaSettings kafka, Scenario scenario, int warmups, int runs) {
        List<byte[]> calls = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < scenario.calls(); i++) {
            calls.add(syntheticCall(scenario, random));
        }
        List<Run> measured = new ArrayList<>();
        for (int i = 0; i < warmups + runs; i++) {
            Run run = once(kafka, scenario, calls, i);
            if (i >= warmups) {
                measured.add(run);
            }
        }
        return measured;
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Run once(KafkaSettings kafka, Scenario scenario, List<byte[]> calls, int runIndex) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (ChunkPublisher publisher = ChunkPublisher.open(kafka)) {
            FileIngest ingest = new FileIngest(publisher, new FileIngest.Options(scenario.chunkMs(), false,
                    List.of(SpeakerRole.AGENT, SpeakerRole.CUSTOMER), null), outcome -> { });
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            long chunks = 0;
            for (int i = 0; i < calls.size(); i++) {
                IngestOutcome outcome = ingest.ingestWavStream("bench", new ByteArrayInputStream(calls.get(i)),
                        "bench-" + runIndex + "-" + i, "bench:");
                if (!(outcome instanceof IngestOutcome.Ingested ingested)) {
                    throw new IllegalStateException("benchmark input was rejected: " + outcome);
                }
                chunks += ingested.chunks();
            }
            publisher.flush();
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
            if (publisher.failed() > 0) {
                throw new IllegalStateException(publisher.failed() + " chunks were not delivered: " + publisher.firstFailure());
            }
            return new Run(wall, cpu, chunks, scenario.audioSeconds());
        }
    }

    /** A stereo WAV of noise-modulated tones: realistic sizes, and lz4 cannot shrink it to nothing. */
    private static byte[] syntheticCall(Scenario scenario, Random random) {
        int frames = (int) (scenario.sampleRate() * scenario.secondsPerCall());
        int bytesPerSample = scenario.mulaw() ? 1 : 2;
        int dataBytes = frames * 2 * bytesPerSample;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) (scenario.mulaw() ? 7 : 1)).putShort((short) 2)
                .putInt(scenario.sampleRate()).putInt(scenario.sampleRate() * 2 * bytesPerSample)
                .putShort((short) (2 * bytesPerSample)).putShort((short) (8 * bytesPerSample));
        b.put("data".getBytes()).putInt(dataBytes);
        for (int i = 0; i < frames * 2; i++) {
            double pitch = i % 2 == 0 ? 120 : 210;
            double sample = 0.3 * Math.sin(2 * Math.PI * pitch * (i / 2) / scenario.sampleRate()) + 0.05 * random.nextGaussian();
            short linear = (short) Math.max(-32768, Math.min(32767, Math.round(sample * 32767)));
            if (scenario.mulaw()) {
                b.put(G711.linearToUlaw(linear));
            } else {
                b.putShort(linear);
            }
        }
        return b.array();
    }
}
