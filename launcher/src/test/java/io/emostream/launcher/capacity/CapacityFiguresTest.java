package io.emostream.launcher.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The capacity benchmark's arithmetic: percentiles, the lag's growth, which stage a thread works for. */
class CapacityFiguresTest {

    @Test
    void percentilesAreNearestRank() {
        long[] ten = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

        assertThat(CapacityRun.percentile(ten, 50)).isEqualTo(50);
        assertThat(CapacityRun.percentile(ten, 95)).isEqualTo(100);
        assertThat(CapacityRun.percentile(ten, 99)).isEqualTo(100);
        assertThat(CapacityRun.percentile(ten, 100)).isEqualTo(100);
        assertThat(CapacityRun.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(CapacityRun.percentile(new long[0], 50)).isEqualTo(-1);
    }

    @Test
    void lagGrowthIsTheSlopeOverTheSecondHalf() {
        // First half flat at 5 s (ignored); second half rising 300 ms per second: 100, 400, 700, 1000 ms.
        List<LagProbe.Sample> rising = List.of(new LagProbe.Sample(0, 5_000), new LagProbe.Sample(1_000, 5_000),
                new LagProbe.Sample(2_000, 5_000), new LagProbe.Sample(3_000, 5_000),
                new LagProbe.Sample(4_000, 100), new LagProbe.Sample(5_000, 400), new LagProbe.Sample(6_000, 700),
                new LagProbe.Sample(7_000, 1_000));
        List<LagProbe.Sample> steady = List.of(new LagProbe.Sample(0, 20), new LagProbe.Sample(1_000, 30),
                new LagProbe.Sample(2_000, 20), new LagProbe.Sample(3_000, 30), new LagProbe.Sample(4_000, 20),
                new LagProbe.Sample(5_000, 30));

        assertThat(CapacityRun.growth(rising)).isCloseTo(300, within(1e-9));
        // Second half 30, 20, 30 at 3, 4, 5 s: slope 0.
        assertThat(CapacityRun.growth(steady)).isCloseTo(0, within(1e-9));
    }

    @Test
    void aThreadBelongsToTheFirstOperatorOfItsTasksChain() {
        assertThat(StageCpu.stageOf("segment utterances (1/2)#0")).isEqualTo("segment utterances");
        assertThat(StageCpu.stageOf("Source: audio chunks -> split unreadable records -> dead letters: unreadable: Writer (2/2)#0"))
                .isEqualTo("Source: audio chunks");
        assertThat(StageCpu.stageOf("Source Data Fetcher for Source: audio chunks -> split unreadable records (1/2)#0"))
                .isEqualTo("Source: audio chunks");
        assertThat(StageCpu.stageOf("OutputFlusher for restore speaker streams -> dead letters: rejected chunks: Writer (1/2)#3"))
                .isEqualTo("restore speaker streams");
        assertThat(StageCpu.stageOf("Time Trigger for cues, model, rationale -> events (2/2)#0")).isEqualTo("cues, model, rationale");
        assertThat(StageCpu.stageOf("kafka-producer-network-thread | emostream-ingest")).isEqualTo(StageCpu.OUTSIDE);
        assertThat(StageCpu.stageOf("emostream-asr")).isEqualTo("speech recognition");
        assertThat(StageCpu.stageOf("emostream-speechlm")).isEqualTo("SpeechLM (cascade)");
    }

    @Test
    void aRunIsSustainedWhenItsLagIsSmallAndFlat() {
        StageCpu.Snapshot before = new StageCpu.Snapshot(Map.of(1L, 0L, 2L, 0L), Map.of(1L, "segment utterances", 2L, StageCpu.OUTSIDE), 0);
        StageCpu.Snapshot after = new StageCpu.Snapshot(Map.of(1L, 2_000_000_000L, 2L, 1_000_000_000L),
                Map.of(1L, "segment utterances", 2L, StageCpu.OUTSIDE), 5_000_000_000L);
        List<EventProbe.Seen> seen = List.of(new EventProbe.Seen(1, 100, 400, 30), new EventProbe.Seen(2, 200, 500, 70));
        List<LagProbe.Sample> flat = List.of(new LagProbe.Sample(0, 10), new LagProbe.Sample(1_000, 12),
                new LagProbe.Sample(2_000, 10), new LagProbe.Sample(3_000, 12));

        CapacityResult kept = CapacityRun.result(10, seen, flat, before, after, 20, 200, 50_000, 30, 0, 0);

        assertThat(kept.sustained()).isTrue();
        assertThat(kept.p50Ms()).isEqualTo(100);
        assertThat(kept.maxMs()).isEqualTo(200);
        assertThat(kept.lastChunkP99Ms()).isEqualTo(500);
        assertThat(kept.inJobP50Ms()).isEqualTo(30);
        assertThat(kept.inJobP99Ms()).isEqualTo(70);
        assertThat(kept.maxLagMs()).isEqualTo(12);
        // 10 streams × 20 s = 200 audio-s sent; the job's tasks used 2 CPU-s, the process 5.
        assertThat(kept.cpuSecondsPerAudioSecond()).isCloseTo(0.01, within(1e-12));
        assertThat(kept.processCpuPerAudioSecond()).isCloseTo(0.025, within(1e-12));
        assertThat(kept.stageCpuPerAudioSecond()).containsEntry("segment utterances", 0.01).containsEntry(StageCpu.OUTSIDE, 0.005);

        StageCpu.Snapshot withJvm = new StageCpu.Snapshot(after.cpuNanos(), after.stage(), after.processCpuNanos(),
                Map.of(StageCpu.JIT, 1_000_000_000L, StageCpu.GC, 400_000_000L));
        CapacityResult jvm = CapacityRun.result(10, seen, flat, before, withJvm, 20, 200, 50_000, 30, 0, 0);
        assertThat(jvm.stageCpuPerAudioSecond()).containsEntry(StageCpu.JIT, 0.005).containsEntry(StageCpu.GC, 0.002);
        assertThat(jvm.cpuSecondsPerAudioSecond()).as("the JVM's own threads are not the job's").isCloseTo(0.01, within(1e-12));

        List<LagProbe.Sample> behind = List.of(new LagProbe.Sample(0, 500), new LagProbe.Sample(1_000, 1_500),
                new LagProbe.Sample(2_000, 2_500), new LagProbe.Sample(3_000, 3_500));
        assertThat(CapacityRun.result(10, seen, behind, before, after, 20, 200, 50_000, 30, 0, 0).sustained()).isFalse();
        assertThat(CapacityRun.result(10, List.of(), flat, before, after, 20, 200, 50_000, 30, 0, 0).sustained())
                .as("no event at all is not keeping up").isFalse();
        assertThat(CapacityRun.result(10, seen, flat, before, after, 20, 200, 50_000, 30, 1, 0).sustained())
                .as("a load that was not delivered as paced proves nothing").isFalse();
        assertThat(CapacityRun.result(10, seen, flat, before, after, 20, 200, 50_000, 30, 0, 3).sustained()).isFalse();
        // CPU is per audio actually sent: half the chunks, twice the cost per second.
        assertThat(CapacityRun.result(10, seen, flat, before, after, 20, 100, 50_000, 30, 0, 0).cpuSecondsPerAudioSecond())
                .isCloseTo(0.02, within(1e-12));
    }
}
