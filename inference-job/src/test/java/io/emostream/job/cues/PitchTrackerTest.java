package io.emostream.job.cues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** YIN on signals whose F0 is known exactly. */
class PitchTrackerTest {
    private final PitchTracker tracker = new PitchTracker();

    @ParameterizedTest
    @ValueSource(doubles = {100, 150, 300})
    void aGlottalPulseTrainReadsItsF0(double hz) {
        PitchTrack track = tracker.track(Signals.pulseTrain(hz, 2));

        // Tighter than a whole lag, which at 16 kHz is about 1.4 Hz at 150 Hz and 5.6 Hz at 300 Hz.
        assertThat(meanVoicedHz(track)).isCloseTo(hz, within(0.5));
        assertThat(track.voicedRatio()).as("all but the edges, where the window hangs over the end")
                .isGreaterThan(0.95);
    }

    @Test
    void aSineReadsItsFrequency() {
        PitchTrack track = tracker.track(Signals.sine(150, -20, 2));

        assertThat(meanVoicedHz(track)).isCloseTo(150, within(0.5));
        assertThat(track.voicedRatio()).isGreaterThan(0.95);
    }

    @Test
    void aRisingGlideHasAPositiveSlopeInSemitonesPerSecondAndItsRange() {
        AcousticCues cues = AcousticCues.measure(Signals.glide(120, 240, 1));

        assertThat(cues.pitchSlopeSemitonesPerSecond()).as("one octave in one second").isCloseTo(12, within(1.5));
        // The 5th to 95th percentile of a steady 12-semitone glide spans 90 % of it, 10.8 semitones.
        assertThat(cues.pitchRangeSemitones()).isCloseTo(10.8, within(0.6));
    }

    @Test
    void aFallingGlideHasANegativeSlope() {
        AcousticCues cues = AcousticCues.measure(Signals.glide(240, 120, 1));

        assertThat(cues.pitchSlopeSemitonesPerSecond()).isCloseTo(-12, within(1.5));
    }

    @Test
    void whiteNoiseIsUnvoiced() {
        PitchTrack track = tracker.track(Signals.whiteNoise(-20, 2, 11));

        assertThat(track.voicedRatio()).isLessThan(0.1);
    }

    @Test
    void silenceIsUnvoicedEverywhere() {
        PitchTrack track = tracker.track(new float[16000]);

        assertThat(track.voicedCount()).isZero();
    }

    @Test
    void oneValuePerTenMillisecondHopAtTheHopCentres() {
        PitchTrack track = tracker.track(Signals.pulseTrain(150, 0.255));

        assertThat(track.hopSeconds()).isEqualTo(0.01);
        assertThat(track.frameCount()).as("26 hops, the last one partly filled").isEqualTo(26);
        assertThat(track.timesSeconds()[0]).isCloseTo(0.005, within(1e-12));
        assertThat(track.timesSeconds()[25]).isCloseTo(0.255, within(1e-12));
        assertThat(track.f0Hz()).hasSize(26);
    }

    private static double meanVoicedHz(PitchTrack track) {
        double sum = 0;
        for (int k = 0; k < track.frameCount(); k++) {
            if (track.isVoiced(k)) {
                sum += track.f0Hz()[k];
            }
        }
        return sum / track.voicedCount();
    }
}
