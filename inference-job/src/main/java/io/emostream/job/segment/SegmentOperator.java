package io.emostream.job.segment;

import io.emostream.job.JobMetrics;
import io.emostream.job.stream.AudioBlock;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.StreamEnd;
import io.emostream.schema.StreamEndReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Segments every speaker stream of this subtask into {@link Utterance}s, running the voice-activity model on
 * batches of frames from many streams at once (one model call per round, one frame per stream per round), which
 * gives several times the frames per second of one call per stream. Used on a stream keyed by speaker stream.
 *
 * <p>Blocks wait in memory at most {@code maxWaitMs}, or until {@code maxBatchFrames} frames are queued. The
 * queue is processed before every checkpoint barrier and at the end of input, so no audio is outside keyed state
 * when a checkpoint is taken.
 *
 * <p>When a stream ends, by its end-of-stream marker or by sending nothing for the idle timeout, a
 * {@link StreamEnd} goes to the side output {@link #STREAM_ENDS}, so readers can tell when a call has ended. The end
 * of a bounded run is not the end of its streams and sends none.
 */
public final class SegmentOperator extends AbstractStreamOperator<Utterance>
        implements OneInputStreamOperator<AudioBlock, Utterance>, BoundedOneInput, Triggerable<Object, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    private static final String STATE = "segmentation";
    public static final OutputTag<StreamEnd> STREAM_ENDS = new OutputTag<>("stream-ends") { };

    /** @param maxBatchFrames frames queued across streams that trigger a batch at once */
    public record Batching(int maxBatchFrames, long maxWaitMs) implements java.io.Serializable {
        public static Batching defaults() {
            return new Batching(256, 20);
        }
    }

    private final SegmentationRules rules;
    private final Batching batching;
    private transient SileroVad vad;
    private transient UtteranceSegmenter segmenter;
    private transient ValueState<SegmentationState> streams;
    private transient Map<Object, List<AudioBlock>> queued;
    private transient int queuedFrames;
    private transient boolean flushScheduled;
    private transient Counter vadFrames;
    private transient Histogram vadBatchSize;
    private transient Counter utterances;
    private transient InternalTimerService<VoidNamespace> idleChecks;

    public SegmentOperator(SegmentationRules rules, Batching batching) {
        this.rules = rules;
        this.batching = batching;
    }

    @Override
    public void open() throws Exception {
        super.open();
        vad = SileroVad.load();
        segmenter = new UtteranceSegmenter(rules);
        streams = getPartitionedState(new ValueStateDescriptor<>(STATE, SegmentationState.class));
        queued = new LinkedHashMap<>();
        idleChecks = getInternalTimerService("idle-streams", VoidNamespaceSerializer.INSTANCE, this);
        vadFrames = JobMetrics.counter(getMetricGroup(), JobMetrics.VAD_FRAMES);
        vadBatchSize = JobMetrics.histogram(getMetricGroup(), JobMetrics.VAD_BATCH_SIZE);
        utterances = JobMetrics.countedWithRate(getMetricGroup(), JobMetrics.UTTERANCES, JobMetrics.UTTERANCES_PER_SECOND);
    }

    @Override
    public void processElement(StreamRecord<AudioBlock> element) throws Exception {
        AudioBlock block = element.getValue();
        queued.computeIfAbsent(getCurrentKey(), k -> new ArrayList<>()).add(block);
        queuedFrames += block.samples.length / SileroVad.FRAME_SAMPLES + 1;
        if (queuedFrames >= batching.maxBatchFrames()) {
            segmentQueued();
        } else if (!flushScheduled) {
            flushScheduled = true;
            long at = getProcessingTimeService().getCurrentProcessingTime() + batching.maxWaitMs();
            getProcessingTimeService().registerTimer(at, time -> segmentQueued());
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        segmentQueued();
    }

    @Override
    public void endInput() throws Exception {
        segmentQueued();
        // Processing-time timers do not fire after a bounded input ends, so streams that never sent their
        // end-of-stream marker have their open utterance ended here instead of by the idle check.
        long now = System.currentTimeMillis();
        List<Object> open;
        try (var keys = getKeyedStateBackend().getKeys(STATE, VoidNamespace.INSTANCE)) {
            open = keys.toList();
        }
        for (Object key : open) {
            setCurrentKey(key);
            SegmentationState state = streams.value();
            UtteranceSegmenter.Speaker speaker = UtteranceSegmenter.Speaker.of(state);
            emit(segmenter.flush(state.segmenter, speaker, Utterance.EndReason.END_OF_INPUT, now));
            streams.clear();
        }
    }

    @Override
    public void close() throws Exception {
        if (vad != null) {
            vad.close();
        }
        super.close();
    }

    /** One stream's part in a batch: its state, its complete frames, and what to do after them. */
    private static final class StreamWork {
        final Object key;
        final SegmentationState state;
        final UtteranceSegmenter.Speaker speaker;
        final List<Frame> frames = new ArrayList<>();
        boolean ended;

        StreamWork(Object key, SegmentationState state) {
            this.key = key;
            this.state = state;
            this.speaker = UtteranceSegmenter.Speaker.of(state);
        }
    }

    private record Frame(long start, float[] samples, int bridged, long ingestTimeMs, boolean afterDiscontinuity) {
    }

    private void segmentQueued() throws IOException {
        flushScheduled = false;
        if (queued.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<StreamWork> work = new ArrayList<>();
        for (Map.Entry<Object, List<AudioBlock>> entry : queued.entrySet()) {
            setCurrentKey(entry.getKey());
            work.add(frames(entry.getKey(), entry.getValue()));
        }
        queued.clear();
        queuedFrames = 0;

        int rounds = work.stream().mapToInt(w -> w.frames.size()).max().orElse(0);
        for (int round = 0; round < rounds; round++) {
            List<StreamWork> batch = new ArrayList<>();
            List<VadState> states = new ArrayList<>();
            List<float[]> frames = new ArrayList<>();
            for (StreamWork w : work) {
                if (round < w.frames.size()) {
                    batch.add(w);
                    states.add(w.state.vad);
                    frames.add(w.frames.get(round).samples());
                }
            }
            for (StreamWork w : batch) {
                if (w.frames.get(round).afterDiscontinuity()) {
                    // The model's memory of the audio before the gap would colour the audio after it.
                    w.state.vad = new VadState();
                }
            }
            states.clear();
            batch.forEach(w -> states.add(w.state.vad));
            float[] probabilities = vad.speechProbabilities(states, frames);
            vadFrames.inc(frames.size());
            vadBatchSize.update(frames.size());
            for (int i = 0; i < batch.size(); i++) {
                StreamWork w = batch.get(i);
                Frame frame = w.frames.get(round);
                if (frame.afterDiscontinuity()) {
                    emit(segmenter.flush(w.state.segmenter, w.speaker, Utterance.EndReason.DISCONTINUITY, now));
                }
                emit(segmenter.onFrame(w.state.segmenter, w.speaker, frame.start(), frame.samples(), probabilities[i],
                        frame.bridged(), frame.ingestTimeMs(), now));
            }
        }
        for (StreamWork w : work) {
            setCurrentKey(w.key);
            if (w.ended) {
                emit(segmenter.flush(w.state.segmenter, w.speaker, Utterance.EndReason.END_OF_STREAM, now));
                output.collect(STREAM_ENDS, new StreamRecord<>(streamEnd(w.state, StreamEndReason.END_OF_STREAM, now)));
                streams.clear();
            } else {
                w.state.lastActivityMs = now;
                if (w.state.idleCheckAtMs == 0) {
                    w.state.idleCheckAtMs = now + rules.idleTimeoutMs();
                    idleChecks.registerProcessingTimeTimer(VoidNamespace.INSTANCE, w.state.idleCheckAtMs);
                }
                streams.update(w.state);
            }
        }
    }

    /**
     * A stream's idle check: if audio came since, the check moves to the new deadline; otherwise the stream has
     * gone quiet without an end-of-stream marker, so its open utterance ends here and the stream is forgotten.
     */
    @Override
    public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
        SegmentationState state = streams.value();
        if (state == null) {
            return;
        }
        long deadline = state.lastActivityMs + rules.idleTimeoutMs();
        if (deadline > timer.getTimestamp() || queued.containsKey(getCurrentKey())) {
            state.idleCheckAtMs = Math.max(deadline, timer.getTimestamp() + batching.maxWaitMs());
            idleChecks.registerProcessingTimeTimer(VoidNamespace.INSTANCE, state.idleCheckAtMs);
            streams.update(state);
            return;
        }
        UtteranceSegmenter.Speaker speaker = UtteranceSegmenter.Speaker.of(state);
        long now = System.currentTimeMillis();
        emit(segmenter.flush(state.segmenter, speaker, Utterance.EndReason.IDLE, now));
        output.collect(STREAM_ENDS, new StreamRecord<>(streamEnd(state, StreamEndReason.IDLE, now)));
        streams.clear();
    }

    @Override
    public void onEventTime(InternalTimer<Object, VoidNamespace> timer) {
        // Segmentation uses processing time only.
    }

    /** Cuts a stream's queued blocks into whole frames, keeping an incomplete one for next time. */
    private StreamWork frames(Object key, List<AudioBlock> blocks) throws IOException {
        SegmentationState state = streams.value();
        if (state == null) {
            state = new SegmentationState();
            AudioBlock first = blocks.get(0);
            state.callId = first.callId;
            state.channel = first.channel;
            state.role = first.role;
            state.source = first.source;
            state.speaker = first.speaker;
            state.series = first.series;
            state.channels = first.channels;
            state.partialStart = first.startSample;
        }
        StreamWork work = new StreamWork(key, state);
        for (AudioBlock block : blocks) {
            if (block.discontinuity) {
                // Audio before the gap cannot join what follows: drop the incomplete frame, start after the gap.
                // The mark lives in state: the frame after the gap may complete only in a later batch.
                state.partialLength = 0;
                state.partialBridged = 0;
                state.partialStart = block.startSample;
                state.partialAfterDiscontinuity = true;
            }
            int bridgedLeft = block.bridgedSamples;
            int at = 0;
            while (at < block.samples.length) {
                int n = Math.min(SileroVad.FRAME_SAMPLES - state.partialLength, block.samples.length - at);
                System.arraycopy(block.samples, at, state.partial, state.partialLength, n);
                int bridgedHere = Math.min(bridgedLeft, n);
                bridgedLeft -= bridgedHere;
                state.partialBridged += bridgedHere;
                state.partialLength += n;
                at += n;
                if (state.partialLength == SileroVad.FRAME_SAMPLES) {
                    work.frames.add(new Frame(state.partialStart, state.partial.clone(), state.partialBridged,
                            block.lastIngestTimeMs, state.partialAfterDiscontinuity));
                    state.partialAfterDiscontinuity = false;
                    state.partialStart += SileroVad.FRAME_SAMPLES;
                    state.partialLength = 0;
                    state.partialBridged = 0;
                }
            }
            work.ended |= block.endOfStream;
        }
        return work;
    }

    private static StreamEnd streamEnd(SegmentationState state, StreamEndReason reason, long nowMs) {
        long endSample = state.partialStart + state.partialLength;
        return StreamEnd.newBuilder().setCallId(state.callId).setChannel(state.channel)
                .setRole(SpeakerRole.valueOf(state.role)).setSource(state.source == null ? "" : state.source)
                .setSpeaker(state.speaker).setSeries(state.series).setChannels(state.channels).setReason(reason)
                .setEndMs(endSample * 1000 / SileroVad.SAMPLE_RATE).setEndTimeMs(nowMs).build();
    }

    private void emit(List<Utterance> cut) {
        for (Utterance utterance : cut) {
            utterances.inc();
            output.collect(new StreamRecord<>(utterance));
        }
    }
}
