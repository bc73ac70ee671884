package io.emostream.job.stream;

import io.emostream.audio.AudioLimits;
import io.emostream.audio.Resampler;
import io.emostream.audio.SampleDecoder;
import io.emostream.audio.SampleEncoding;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.nio.ByteBuffer;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one speaker stream's chunks, as Kafka delivers them, back into continuous 16 kHz audio: in sequence
 * order, without duplicates, with small losses bridged by silence and large ones marked as discontinuities.
 * A chunk that cannot belong to the stream (after its end, or in another format) is rejected with a reason.
 *
 * <p>Plain Java: all memory lives in the {@link StreamState} passed in, which Flink keeps in keyed state.
 */
public final class StreamRestorer {

    /**
     * @param reorderWindowChunks chunks held while waiting for a missing one before giving up on it
     * @param maxWaitMs           longest wait for a missing chunk when nothing else arrives (a timer's job)
     * @param maxBridgeMs         longest loss filled with silence; a longer one becomes a discontinuity
     * @param retention           how long a stream that sends nothing more is remembered (chunks after its end are
     *                            recognised as such only within this time)
     */
    public record Settings(int reorderWindowChunks, long maxWaitMs, long maxBridgeMs, Duration retention)
            implements Serializable {
        public static Settings defaults() {
            return new Settings(20, 250, 500, Duration.ofMinutes(10));
        }
    }

    public record Rejection(AudioChunk chunk, String reason) {
    }

    /** What one call produced: audio blocks in stream order, and chunks refused. */
    public record Result(List<AudioBlock> blocks, List<Rejection> rejections) {
        static Result empty() {
            return new Result(new ArrayList<>(), new ArrayList<>());
        }
    }

    /** Positions beyond a day of audio are corrupt, not long calls. */
    private static final long MAX_POSITION_SECONDS = 24 * 3600;
    private static final int REMEMBERED_SKIPS = 256;

    private final Settings settings;

    public StreamRestorer(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Takes one chunk of the stream whose memory is {@code state}. */
    public Result accept(StreamState state, AudioChunk chunk) {
        Result result = Result.empty();
        String invalid = invalid(chunk);
        if (invalid != null) {
            result.rejections().add(new Rejection(chunk, invalid));
            return result;
        }
        if (!state.started) {
            start(state, chunk);
        }
        if (state.skippedSequences.contains(chunk.getSequence())) {
            result.rejections().add(new Rejection(chunk, "chunk " + chunk.getSequence() + " of call " + chunk.getCallId()
                    + " channel " + chunk.getChannel() + " arrived after its place in the stream had been bridged"
                    + " with silence; it came too late to be used"));
            return result;
        }
        if (chunk.getSequence() < state.nextSequence || isPending(state, chunk.getSequence())) {
            state.duplicates++;
            return result;
        }
        if (state.ended) {
            result.rejections().add(new Rejection(chunk, "chunk " + chunk.getSequence() + " of call " + chunk.getCallId()
                    + " channel " + chunk.getChannel() + " arrived after the end of its stream (the last was "
                    + (state.nextSequence - 1) + "); the producer must start a new call id to send more audio"));
            return result;
        }
        String formatProblem = formatProblem(state, chunk);
        if (formatProblem != null) {
            result.rejections().add(new Rejection(chunk, formatProblem));
            return result;
        }
        insertPending(state, chunk);
        drain(state, result);
        while (state.pending.size() > settings.reorderWindowChunks()) {
            skipToFirstPending(state, result);
        }
        return result;
    }

    /** True while a chunk is missing and later ones wait for it. */
    public boolean waiting(StreamState state) {
        return !state.pending.isEmpty();
    }

    /** Stops waiting for the first missing chunk: bridges or skips it and releases what waited behind it. */
    public Result giveUpWaiting(StreamState state) {
        Result result = Result.empty();
        if (!state.pending.isEmpty()) {
            skipToFirstPending(state, result);
        }
        return result;
    }

    private static void start(StreamState state, AudioChunk chunk) {
        state.started = true;
        state.callId = chunk.getCallId();
        state.channel = chunk.getChannel();
        state.sampleRate = chunk.getSampleRate();
        state.encoding = chunk.getEncoding().name();
        state.role = chunk.getRole().name();
        state.source = chunk.getSource();
        state.speaker = chunk.getSpeaker();
        state.series = chunk.getSeries();
        state.channels = chunk.getChannels();
    }

    /** Values no stream can have: accepting them would fail the job on every replay of the record. */
    private static String invalid(AudioChunk chunk) {
        if (chunk.getSampleRate() < AudioLimits.MIN_SAMPLE_RATE || chunk.getSampleRate() > AudioLimits.MAX_SAMPLE_RATE) {
            return "chunk " + chunk.getSequence() + " of call " + chunk.getCallId() + " declares " + chunk.getSampleRate()
                    + " Hz, outside " + AudioLimits.MIN_SAMPLE_RATE + ".." + AudioLimits.MAX_SAMPLE_RATE + " Hz";
        }
        if (chunk.getSequence() < 0 || chunk.getFirstSample() < 0 || chunk.getFirstSample() > MAX_POSITION_SECONDS * chunk.getSampleRate()) {
            return "chunk " + chunk.getSequence() + " of call " + chunk.getCallId() + " has an impossible position"
                    + " (sequence " + chunk.getSequence() + ", first sample " + chunk.getFirstSample() + ")";
        }
        return null;
    }

    private static String formatProblem(StreamState state, AudioChunk chunk) {
        if (chunk.getSampleRate() != state.sampleRate || !chunk.getEncoding().name().equals(state.encoding)) {
            return "chunk " + chunk.getSequence() + " of call " + chunk.getCallId() + " channel " + chunk.getChannel()
                    + " changes the stream's format from " + state.sampleRate + " Hz " + state.encoding + " to "
                    + chunk.getSampleRate() + " Hz " + chunk.getEncoding() + "; a stream keeps one format";
        }
        int bytesPerSample = SampleEncoding.valueOf(state.encoding).bytesPerSample();
        if (chunk.getPayload().remaining() % bytesPerSample != 0) {
            return "chunk " + chunk.getSequence() + " of call " + chunk.getCallId() + " channel " + chunk.getChannel()
                    + " holds " + chunk.getPayload().remaining() + " bytes, not a whole number of " + state.encoding
                    + " samples";
        }
        return null;
    }

    private static boolean isPending(StreamState state, long sequence) {
        return state.pending.stream().anyMatch(p -> p.sequence == sequence);
    }

    private static void insertPending(StreamState state, AudioChunk chunk) {
        byte[] payload = new byte[chunk.getPayload().remaining()];
        chunk.getPayload().duplicate().get(payload);
        PendingChunk pending = new PendingChunk(chunk.getSequence(), chunk.getFirstSample(), payload,
                chunk.getEndOfStream(), chunk.getIngestTimeMs());
        int at = 0;
        while (at < state.pending.size() && state.pending.get(at).sequence < pending.sequence) {
            at++;
        }
        state.pending.add(at, pending);
    }

    /** Emits pending chunks while the next one in sequence is there; after the end, refuses what is left. */
    private void drain(StreamState state, Result result) {
        while (!state.ended && !state.pending.isEmpty() && state.pending.get(0).sequence == state.nextSequence) {
            emit(state, state.pending.remove(0), result);
        }
        if (state.ended) {
            for (PendingChunk late : state.pending) {
                result.rejections().add(new Rejection(asChunk(state, late), "chunk " + late.sequence + " of call "
                        + state.callId + " channel " + state.channel + " comes after the end of its stream (the last was "
                        + (state.nextSequence - 1) + "); the producer must start a new call id to send more audio"));
            }
            state.pending.clear();
        }
    }

    private void skipToFirstPending(StreamState state, Result result) {
        for (long missing = state.nextSequence; missing < state.pending.get(0).sequence; missing++) {
            state.skippedSequences.add(missing);
        }
        while (state.skippedSequences.size() > REMEMBERED_SKIPS) {
            state.skippedSequences.remove(0);
        }
        state.nextSequence = state.pending.get(0).sequence;
        drain(state, result);
    }

    /** A waiting chunk as the record it came from, for the dead-letter topic. */
    private static AudioChunk asChunk(StreamState state, PendingChunk pending) {
        return AudioChunk.newBuilder().setCallId(state.callId).setChannel(state.channel)
                .setRole(SpeakerRole.valueOf(state.role)).setSequence(pending.sequence).setFirstSample(pending.firstSample)
                .setCaptureTimeMs(0).setIngestTimeMs(pending.ingestTimeMs).setSampleRate(state.sampleRate)
                .setEncoding(AudioEncoding.valueOf(state.encoding)).setPayload(ByteBuffer.wrap(pending.payload))
                .setEndOfStream(pending.endOfStream).setSource(state.source)
                .setSpeaker(state.speaker).setSeries(state.series).setChannels(state.channels).build();
    }

    private void emit(StreamState state, PendingChunk chunk, Result result) {
        state.nextSequence = chunk.sequence + 1;
        float[] audio = SampleDecoder.toFloat(chunk.payload, SampleEncoding.valueOf(state.encoding));
        long chunkEnd = chunk.firstSample + audio.length;
        long lost = chunk.firstSample - state.nextSample;
        int bridged = 0;
        boolean discontinuity = false;
        if (lost < 0) {
            // The chunk repeats audio already emitted (a producer that resent with new sequence numbers).
            audio = Arrays.copyOfRange(audio, (int) Math.min(-lost, audio.length), audio.length);
        } else if (lost > 0 && lost * 1000 <= settings.maxBridgeMs() * state.sampleRate) {
            bridged = (int) lost;
            float[] withSilence = new float[bridged + audio.length];
            System.arraycopy(audio, 0, withSilence, bridged, audio.length);
            audio = withSilence;
        } else if (lost > 0) {
            flushResampler(state, chunk.ingestTimeMs, result);
            state.nextOutputSample = Math.round((double) chunk.firstSample * AudioBlock.SAMPLE_RATE / state.sampleRate);
            state.skippedSamples += lost;
            discontinuity = true;
        }
        state.nextSample = Math.max(state.nextSample, chunkEnd);
        state.bridgedSamples += bridged;

        Resampler resampler = resampler(state);
        float[] out = resampler.process(audio);
        if (chunk.endOfStream) {
            out = concat(out, resampler.flush());
            state.ended = true;
        }
        saveResampler(state, chunk.endOfStream ? null : resampler);
        AudioBlock block = block(state, out, chunk.ingestTimeMs);
        block.bridgedSamples = (int) Math.round((double) bridged * AudioBlock.SAMPLE_RATE / state.sampleRate);
        block.discontinuity = discontinuity;
        block.endOfStream = chunk.endOfStream;
        result.blocks().add(block);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Ends the resampled audio before a discontinuity, so what was said before it is complete. */
    private void flushResampler(StreamState state, long ingestTimeMs, Result result) {
        float[] tail = resampler(state).flush();
        saveResampler(state, null);
        if (tail.length > 0) {
            result.blocks().add(block(state, tail, ingestTimeMs));
        }
    }

    private static AudioBlock block(StreamState state, float[] samples, long ingestTimeMs) {
        AudioBlock block = new AudioBlock();
        block.callId = state.callId;
        block.channel = state.channel;
        block.role = state.role;
        block.source = state.source;
        block.speaker = state.speaker;
        block.series = state.series;
        block.channels = state.channels;
        block.startSample = state.nextOutputSample;
        block.samples = samples;
        block.lastIngestTimeMs = ingestTimeMs;
        state.nextOutputSample += samples.length;
        return block;
    }

    private static Resampler resampler(StreamState state) {
        return Resampler.restore(state.sampleRate, AudioBlock.SAMPLE_RATE,
                new Resampler.State(state.resamplerPending, state.resamplerInput, state.resamplerOutput));
    }

    /** Keeps the resampler's state; null starts the next audio afresh (after a flush). */
    private static void saveResampler(StreamState state, Resampler resampler) {
        Resampler.State saved = resampler == null ? null : resampler.snapshot();
        state.resamplerPending = saved == null ? new float[0] : saved.pendingInput();
        state.resamplerInput = saved == null ? 0 : saved.inputSamples();
        state.resamplerOutput = saved == null ? 0 : saved.outputSamples();
    }
}
