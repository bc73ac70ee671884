package io.emostream.job.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules on synthetic probabilities; every sample's value is its position, so cuts can be checked exactly. */
class UtteranceSegmenterTest {
    private static final int FRAME = SileroVad.FRAME_SAMPLES;
    private static final int PAD = 1920;
    private static final UtteranceSegmenter.Speaker SPEAKER = new UtteranceSegmenter.Speaker("call-9", 1, "CUSTOMER", "test:", "ana", "claims");

    private final UtteranceSegmenter segmenter = new UtteranceSegmenter(SegmentationRules.defaults());
    private final SegmenterState state = new SegmenterState();
    private final List<Utterance> utterances = new ArrayList<>();
    private long position;

    /** Feeds {@code frames} frames with this probability; the wall clock reads the frame index. */
    private void frames(int frames, float probability) {
        for (int i = 0; i < frames; i++) {
            float[] frame = new float[FRAME];
            for (int j = 0; j < FRAME; j++) {
                frame[j] = position + j;
            }
            utterances.addAll(segmenter.onFrame(state, SPEAKER, position, frame, probability, 0, 100 + position / FRAME,
                    position / FRAME));
            position += FRAME;
        }
    }

    private static void assertSamplesAreTheirPositions(Utterance u) {
        assertThat(u.samples).hasSize((int) (u.endSample - u.startSample));
        for (int i = 0; i < u.samples.length; i += 97) {
            assertThat(u.samples[i]).isEqualTo((float) (u.startSample + i));
        }
    }

    @Test
    void silenceAloneMakesNoUtteranceAndKeepsOnlyThePadding() {
        frames(500, 0.05f);

        assertThat(utterances).isEmpty();
        assertThat(state.audioLength).isEqualTo(PAD);
        assertThat(state.audio.length).isLessThanOrEqualTo(4 * (PAD + FRAME));
    }

    @Test
    void speechBetweenSilencesIsOneUtteranceWithPaddingCutWhenTheSilenceIsLongEnough() {
        frames(20, 0.05f);
        long speechStart = position;
        frames(30, 0.9f);
        long speechEnd = position;
        frames(12, 0.05f);
        assertThat(utterances).as("12 silent frames are 384 ms, under the 400 ms hangover").isEmpty();
        frames(1, 0.05f);

        assertThat(utterances).singleElement().satisfies(u -> {
            assertThat(u.startSample).isEqualTo(speechStart - PAD);
            assertThat(u.endSample).isEqualTo(speechEnd + PAD);
            assertThat(u.endReason).isEqualTo(Utterance.EndReason.SILENCE);
            assertThat(u.speechSamples).isEqualTo(30L * FRAME);
            assertThat(u.vadEndTimeMs).as("decided at the 13th silent frame").isEqualTo(20 + 30 + 12);
            assertThat(u.lastIngestTimeMs).isEqualTo(100 + 20 + 30 + 12);
            assertThat(u.id()).isEqualTo("call-9/1/" + (speechStart - PAD));
            assertThat(u.role).isEqualTo("CUSTOMER");
            assertSamplesAreTheirPositions(u);
        });
    }

    @Test
    void hysteresisKeepsAWeakTailInsideTheUtteranceButDoesNotStartOne() {
        frames(10, 0.4f);
        assertThat(state.inSpeech).as("0.4 is below the start threshold").isFalse();

        frames(20, 0.9f);
        frames(20, 0.4f);
        long tailEnd = position;
        frames(13, 0.05f);

        assertThat(utterances).singleElement().satisfies(u -> assertThat(u.endSample).isEqualTo(tailEnd + PAD));
    }

    @Test
    void aClickShorterThanTheMinimumSpeechIsDropped() {
        frames(10, 0.05f);
        frames(7, 0.9f);
        frames(20, 0.05f);

        assertThat(utterances).as("7 frames are 224 ms, under 250 ms").isEmpty();
    }

    @Test
    void aShortPauseDoesNotSplitAnUtterance() {
        frames(10, 0.05f);
        frames(20, 0.9f);
        frames(6, 0.05f);
        frames(20, 0.9f);
        frames(13, 0.05f);

        assertThat(utterances).singleElement().satisfies(u -> assertThat(u.speechSamples).isEqualTo(40L * FRAME));
    }

    @Test
    void aLongMonologueIsSplitIntoPiecesThatJoinUp() {
        frames(5, 0.05f);
        frames(1250, 0.9f);
        frames(13, 0.05f);

        assertThat(utterances).hasSize(3);
        assertThat(utterances).extracting(u -> u.endReason)
                .containsExactly(Utterance.EndReason.MAX_LENGTH, Utterance.EndReason.MAX_LENGTH, Utterance.EndReason.SILENCE);
        assertThat(utterances.get(0).endSample).isEqualTo(utterances.get(1).startSample);
        assertThat(utterances.get(1).endSample).isEqualTo(utterances.get(2).startSample);
        assertThat(utterances).allSatisfy(u -> {
            assertThat(u.endSample - u.startSample).isLessThanOrEqualTo(15 * 16000 + FRAME);
            assertSamplesAreTheirPositions(u);
        });
    }

    @Test
    void flushingMidSpeechEndsTheUtteranceWithTheAudioThereIs() {
        frames(10, 0.05f);
        frames(20, 0.9f);
        long end = position;

        List<Utterance> flushed = segmenter.flush(state, SPEAKER, Utterance.EndReason.END_OF_STREAM, 77);

        assertThat(flushed).singleElement().satisfies(u -> {
            assertThat(u.endSample).as("no audio after the last frame to pad with").isEqualTo(end);
            assertThat(u.endReason).isEqualTo(Utterance.EndReason.END_OF_STREAM);
            assertThat(u.vadEndTimeMs).isEqualTo(77);
        });
        assertThat(state.inSpeech).isFalse();
        assertThat(state.audioLength).isZero();
    }
}
