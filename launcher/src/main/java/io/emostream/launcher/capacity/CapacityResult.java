package io.emostream.launcher.capacity;

import java.util.Map;

/**
 * What one run of the capacity benchmark measured, for one number of streams.
 *
 * @param sustained                whether the job kept up: consumer lag bounded and not growing (see {@link CapacityRun})
 * @param p50Ms                    latency percentiles from the VAD's end-of-utterance decision to the event being
 *                                 readable on the events topic
 * @param lastChunkP50Ms           the same from the hand-over to Kafka of the last chunk the VAD had read when it
 *                                 ended the utterance (the one that completed the silence that ends it), which adds
 *                                 the way to the job, restoration and the VAD's batch wait
 * @param inJobP50Ms               the part of the latency from the VAD's decision spent inside the job, up to the
 *                                 event being handed to the sink (the rest is the sink, the broker and the reader)
 * @param maxLagMs                 the largest consumer lag on the audio topic, in time
 * @param lagGrowth                how fast the lag grew over the second half, in ms per second (a job that keeps up: about 0)
 * @param cpuSecondsPerAudioSecond CPU of the job's tasks per second of audio received; NaN where the job runs elsewhere
 * @param stageCpuPerAudioSecond   the same per stage (task), and for what ran outside the job's tasks
 * @param heapBytesPerStream       heap after a full collection with the streams live, minus before, per stream; -1
 *                                 where the job runs elsewhere
 * @param gcPauseMs                time the collectors took during the measurement
 * @param loadLateTicks            pacing rounds in which the load generator found a chunk overdue by a whole
 *                                 interval; a run with any, or with any chunk not delivered, is not sustained
 * @param audioSeconds             audio actually sent during the measurement, over all streams
 */
public record CapacityResult(int streams, boolean sustained, long events, double measuredSeconds,
                             long p50Ms, long p95Ms, long p99Ms, long maxMs,
                             long lastChunkP50Ms, long lastChunkP95Ms, long lastChunkP99Ms, long lastChunkMaxMs,
                             long inJobP50Ms, long inJobP99Ms, long maxLagMs, double lagGrowth, double cpuSecondsPerAudioSecond,
                             Map<String, Double> stageCpuPerAudioSecond, double processCpuPerAudioSecond,
                             long heapBytesPerStream, long gcPauseMs, long loadLateTicks, long sendErrors,
                             double audioSeconds) {

    /**
     * The same figures for a job in another process: its CPU is not known here (NaN), nor its heap and collector time (-1); the stages
     * left are this process's threads (broker, load, probes) and the process as a whole.
     */
    public CapacityResult withJobElsewhere() {
        return new CapacityResult(streams, sustained, events, measuredSeconds, p50Ms, p95Ms, p99Ms, maxMs, lastChunkP50Ms,
                lastChunkP95Ms, lastChunkP99Ms, lastChunkMaxMs, inJobP50Ms, inJobP99Ms, maxLagMs, lagGrowth, Double.NaN,
                stageCpuPerAudioSecond, processCpuPerAudioSecond, -1, -1, loadLateTicks, sendErrors, audioSeconds);
    }
}
