package io.emostream.job.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a speaker stream into utterances from the voice-activity model's speech probability per frame, by the
 * {@link SegmentationRules}: speech starts when a frame reaches the start threshold and ends after enough
 * frames below the end threshold; too-short speech is dropped; long speech is split. Frames must be given in
 * order and without gaps; a gap is announced with {@link #flush}.
 *
 * <p>Plain Java: all memory lives in the {@link SegmenterState} passed in, which Flink keeps in keyed state.
 */
public final class UtteranceSegmenter {

    /** Who is speaking: copied onto every utterance. */
    public record Speaker(String callId, int channel, String role, String source, String speaker, String series) {
        static Speaker of(SegmentationState state) {
            return new Speaker(state.callId, state.channel, state.role, state.source, state.speaker, state.series);
        }
    }

    private final SegmentationRules rules;

    public UtteranceSegmenter(SegmentationRules rules) {
        this.rules = rules;
    }

    public SegmentationRules rules() {
        return rules;
    }

    /**
     * Takes the next frame of the stream.
     *
     * @param frameStart     position of the frame's first sample in the stream (16 kHz)
     * @param bridgedSamples samples of this frame that stand in for audio lost in transport
     * @param nowMs          wall-clock time, recorded as the moment an utterance's end was decided
     */
    public List<Utterance> onFrame(SegmenterState state, Speaker speaker, long frameStart, float[] frame,
                                   float probability, int bridgedSamples, long ingestTimeMs, long nowMs) {
        List<Utterance> out = new ArrayList<>(1);
        if (state.audioLength == 0) {
            state.audioStart = frameStart;
        } else if (frameStart != state.audioStart + state.audioLength) {
            throw new IllegalStateException("frame at " + frameStart + " does not follow the audio ending at "
                    + (state.audioStart + state.audioLength) + "; a gap must be flushed first");
        }
        append(state, frame);
        state.lastIngestTimeMs = Math.max(state.lastIngestTimeMs, ingestTimeMs);
        long frameEnd = frameStart + frame.length;
        if (!state.inSpeech) {
            if (probability >= rules.startThreshold()) {
                state.inSpeech = true;
                state.lastSpeechEnd = frameEnd;
                state.speechSamples = frame.length;
                state.bridgedSamples = bridgedSamples;
            } else {
                keepOnlyPadding(state);
            }
            return out;
        }
        state.bridgedSamples += bridgedSamples;
        if (probability >= rules.endThreshold()) {
            state.lastSpeechEnd = frameEnd;
            state.speechSamples += frame.length;
        } else if (frameEnd - state.lastSpeechEnd >= rules.samples(rules.minSilenceMs())) {
            cut(state, speaker, Math.min(state.lastSpeechEnd + rules.samples(rules.padMs()), frameEnd),
                    Utterance.EndReason.SILENCE, nowMs, out);
            return out;
        }
        if (state.audioLength >= rules.samples(rules.maxUtteranceMs())) {
            cut(state, speaker, frameEnd, Utterance.EndReason.MAX_LENGTH, nowMs, out);
            // The speaker is still talking: the next utterance starts right here, without padding.
            state.inSpeech = true;
            state.lastSpeechEnd = frameEnd;
            state.speechSamples = 0;
            state.bridgedSamples = 0;
        }
        return out;
    }

    /**
     * Ends the stream's current utterance, if any, with the audio there is: at the end of the stream, when the
     * stream went idle, or before audio that does not join up (a discontinuity). The state then starts afresh.
     */
    public List<Utterance> flush(SegmenterState state, Speaker speaker, Utterance.EndReason reason, long nowMs) {
        List<Utterance> out = new ArrayList<>(1);
        if (state.inSpeech) {
            cut(state, speaker, Math.min(state.lastSpeechEnd + rules.samples(rules.padMs()),
                    state.audioStart + state.audioLength), reason, nowMs, out);
        }
        state.inSpeech = false;
        state.audio = new float[0];
        state.audioLength = 0;
        state.speechSamples = 0;
        state.bridgedSamples = 0;
        return out;
    }

    /** Emits the utterance ending at {@code end} unless it holds too little speech, and keeps what follows. */
    private void cut(SegmenterState state, Speaker speaker, long end, Utterance.EndReason reason, long nowMs,
                     List<Utterance> out) {
        int length = (int) (end - state.audioStart);
        if (state.speechSamples >= rules.samples(rules.minSpeechMs())) {
            Utterance utterance = new Utterance();
            utterance.callId = speaker.callId();
            utterance.channel = speaker.channel();
            utterance.role = speaker.role();
            utterance.source = speaker.source();
            utterance.speaker = speaker.speaker();
            utterance.series = speaker.series();
            utterance.startSample = state.audioStart;
            utterance.endSample = end;
            utterance.samples = Arrays.copyOf(state.audio, length);
            utterance.speechSamples = state.speechSamples;
            utterance.bridgedSamples = state.bridgedSamples;
            utterance.endReason = reason;
            utterance.vadEndTimeMs = nowMs;
            utterance.lastIngestTimeMs = state.lastIngestTimeMs;
            out.add(utterance);
        }
        int rest = state.audioLength - length;
        System.arraycopy(state.audio, length, state.audio, 0, rest);
        state.audioLength = rest;
        state.audioStart = end;
        state.inSpeech = false;
        state.speechSamples = 0;
        state.bridgedSamples = 0;
        keepOnlyPadding(state);
    }

    private void append(SegmenterState state, float[] frame) {
        if (state.audioLength + frame.length > state.audio.length) {
            state.audio = Arrays.copyOf(state.audio, Math.max(state.audioLength + frame.length, 2 * state.audio.length));
        }
        System.arraycopy(frame, 0, state.audio, state.audioLength, frame.length);
        state.audioLength += frame.length;
    }

    /** Outside speech only the padding that may precede the next utterance is worth keeping. */
    private void keepOnlyPadding(SegmenterState state) {
        int keep = Math.min(state.audioLength, rules.samples(rules.padMs()));
        int drop = state.audioLength - keep;
        if (drop > 0) {
            System.arraycopy(state.audio, drop, state.audio, 0, keep);
            state.audioLength = keep;
            state.audioStart += drop;
        }
        // A long utterance grew the buffer; between utterances it would only bloat the state and checkpoints.
        if (state.audio.length > 4 * (keep + SileroVad.FRAME_SAMPLES)) {
            state.audio = Arrays.copyOf(state.audio, keep + SileroVad.FRAME_SAMPLES);
        }
    }
}
