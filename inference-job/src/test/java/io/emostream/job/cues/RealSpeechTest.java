package io.emostream.job.cues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.emostream.audio.SampleDecoder;
import io.emostream.job.Flite;
import io.emostream.audio.wav.WavReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cues on synthetic speech: the podcast fixture, and flite told to speak at two pitches. */
class RealSpeechTest {

    @Test
    void thePodcastFixtureMeasuresLikeTwoMaleVoices() throws IOException {
        String folder = System.getProperty("emostream.fixtures");
        assertThat(folder).as("system property emostream.fixtures, which the Maven build sets").isNotNull();

        AcousticCues cues = AcousticCues.measure(read(Path.of(folder, "podcast-mono-16k.wav")));

        assertThat(cues.pitchMeanHz()).isBetween(70.0, 200.0);
        assertThat(cues.speakingRateSyllablesPerSecond()).isBetween(2.0, 8.0);
        assertThat(cues.loudnessDbfs()).isBetween(-40.0, -5.0);
        // "Welcome back to the show." and "Today we talk about happy customers." hold 17 syllables.
        assertThat(cues.syllableCount()).isBetween(14, 20);
        // The 0.5 s pause between the two voices, in about 4.2 s from first to last sound.
        assertThat(cues.pauseRatio()).isBetween(0.08, 0.16);
    }

    @Test
    void fliteSpeakingAtTwoPitchesMeasuresAtThosePitches(@TempDir Path folder) throws Exception {
        for (int target : new int[] {120, 220}) {
            AcousticCues cues = AcousticCues.measure(Flite.speak(folder, "slt",
                    "I was charged twice and I would like my money back today.", "int_f0_target_mean=" + target));

            assertThat(cues.pitchMeanHz()).as("flite's target %d Hz", target).isCloseTo(target, within(0.15 * target));
        }
    }

    private static float[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            WavReader wav = WavReader.open(in);
            assertThat(wav.format().sampleRate()).as("%s", file).isEqualTo(PitchTracker.SAMPLE_RATE);
            assertThat(wav.format().channels()).as("%s", file).isEqualTo(1);
            ByteArrayOutputStream pcm = new ByteArrayOutputStream();
            byte[][] channels;
            while ((channels = wav.readChannels(4096)) != null) {
                pcm.writeBytes(channels[0]);
            }
            return SampleDecoder.toFloat(pcm.toByteArray(), wav.format().encoding());
        }
    }
}
