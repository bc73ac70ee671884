package io.emostream.job.model.logmel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.job.model.logmel.LogMelSettings.Log;
import io.emostream.job.model.logmel.LogMelSettings.MelNorm;
import io.emostream.job.model.logmel.LogMelSettings.MelScale;
import io.emostream.job.model.logmel.LogMelSettings.Normalize;
import io.emostream.job.model.logmel.LogMelSettings.PadMode;
import io.emostream.job.model.logmel.LogMelSettings.Style;
import io.emostream.job.model.logmel.LogMelSettings.Window;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The log-mel front end on synthetic signals, with values worked out by hand, by a plain O(n²) DFT, and by an
 * independent numpy implementation of the three libraries' front ends ({@code reference.json}, made by
 * {@code make_reference.py} beside it).
 */
class LogMelTest {
    private static final int SR = LogMelSettings.SAMPLE_RATE;

    /** |X[k]|² by the definition, for k = 0 … n/2. */
    private static double[] dftPower(double[] x) {
        int n = x.length;
        double[] power = new double[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            double re = 0;
            double im = 0;
            for (int j = 0; j < n; j++) {
                double angle = 2 * Math.PI * ((long) j * k % n) / n;
                re += x[j] * Math.cos(angle);
                im -= x[j] * Math.sin(angle);
            }
            power[k] = re * re + im * im;
        }
        return power;
    }

    @Test
    void theFftGivesTheDftsPowerForPowersOfTwoAndForOtherLengths() {
        Random random = new Random(7);
        for (int n : new int[] {1, 2, 3, 7, 16, 400, 401, 512}) {
            double[] frame = random.doubles(n, -1, 1).toArray();
            double[] power = new double[n / 2 + 1];
            new RealFft(n).power(frame, power);

            double[] expected = dftPower(frame);
            double energy = 0;
            for (double v : frame) {
                energy += v * v;
            }
            for (int k = 0; k < expected.length; k++) {
                // Errors are relative to the frame's energy (Parseval: the bins sum to n times it).
                assertThat(power[k]).as("n=%d, k=%d", n, k).isCloseTo(expected[k], within(1e-10 * n * energy));
            }
        }
    }

    @Test
    void theOneSidedSpectrumHoldsTheFramesEnergyParseval() {
        double[] frame = new Random(3).doubles(400, -1, 1).toArray();
        double[] power = new double[201];
        new RealFft(400).power(frame, power);

        double spectrum = power[0] + power[200];
        for (int k = 1; k < 200; k++) {
            spectrum += 2 * power[k];
        }
        double energy = 0;
        for (double v : frame) {
            energy += v * v;
        }
        assertThat(spectrum).isCloseTo(400 * energy, within(1e-9 * 400 * energy));
    }

    @Test
    void aToneOnABinCentreGivesTheHannWindowsThreeLinesAndFillsTheMelBinsThatHoldThem() {
        // 1000 Hz is bin 25 of a 400-point FFT. A periodic Hann window sums to N/2 and its first DFT coefficient is
        // -N/4, so a cosine of amplitude A gives |X[25]| = A·N/4, |X[24]| = |X[26]| = A·N/8, and nothing elsewhere.
        double amplitude = 0.5;
        float[] tone = new float[SR];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (amplitude * Math.cos(2 * Math.PI * 1000 * i / SR));
        }
        double[] frame = new double[400];
        double[] window = LogMel.window(Window.HANN, 400, true);
        for (int i = 0; i < 400; i++) {
            frame[i] = tone[8000 + i] * window[i];
        }
        double[] power = new double[201];
        new RealFft(400).power(frame, power);
        double line = amplitude * 400 / 4;
        for (int k = 0; k <= 200; k++) {
            double expected = k == 25 ? line * line : k == 24 || k == 26 ? line * line / 4 : 0;
            assertThat(power[k]).as("bin %d", k).isCloseTo(expected, within(1e-4)); // the float32 tone's rounding
        }

        LogMelSettings settings = LogMelSettings.builder(Style.TORCHAUDIO).melBins(40).hop(160).log(Log.LN).build();
        float[][] features = new LogMel(settings).compute(tone, tone.length);
        double[][] filters = MelFilterBank.weights(settings);
        int loudest = 0;
        int holdsTheTone = 0;
        for (int m = 0; m < 40; m++) {
            loudest = features[50][m] > features[50][loudest] ? m : loudest;
            holdsTheTone = filters[m][25] > filters[holdsTheTone][25] ? m : holdsTheTone;
            double energy = filters[m][24] * line * line / 4 + filters[m][25] * line * line + filters[m][26] * line * line / 4;
            assertThat((double) features[50][m]).as("mel %d", m).isCloseTo(Math.log(Math.max(energy, 1e-10)), within(1e-4));
        }
        assertThat(loudest).isEqualTo(holdsTheTone);
        double melStep = MelFilterBank.toMel(MelScale.HTK, 8000) / 41; // 40 triangles over 42 points from 0 Hz
        assertThat(1000.0).isBetween(MelFilterBank.toHz(MelScale.HTK, holdsTheTone * melStep),
                MelFilterBank.toHz(MelScale.HTK, (holdsTheTone + 2) * melStep));
    }

    @Test
    void silenceGivesTheFloorOfEachStyle() {
        float[] silence = new float[SR];
        LogMelSettings torchaudio = LogMelSettings.builder(Style.TORCHAUDIO).melBins(80).log(Log.LN).build();
        LogMelSettings whisper = LogMelSettings.builder(Style.WHISPER).melBins(80).build();
        LogMelSettings kaldi = LogMelSettings.builder(Style.KALDI).melBins(80).build();

        assertEveryValue(new LogMel(torchaudio).compute(silence, SR), (float) Math.log(1e-10));
        assertEveryValue(new LogMel(whisper).compute(silence, SR), -1.5f); // (log10(1e-10) + 4) / 4
        assertEveryValue(new LogMel(kaldi).compute(silence, SR), (float) Math.log(Math.ulp(1.0f)));
    }

    private static void assertEveryValue(float[][] features, float expected) {
        assertThat(features.length).isPositive();
        for (float[] row : features) {
            for (float value : row) {
                assertThat(value).isEqualTo(expected);
            }
        }
    }

    @Test
    void frameCountsFollowEachLibrarysFraming() {
        LogMel torchaudio = new LogMel(LogMelSettings.builder(Style.TORCHAUDIO).melBins(80).hop(160).log(Log.LN).build());
        LogMel uncentred = new LogMel(LogMelSettings.builder(Style.TORCHAUDIO).melBins(80).hop(160).center(false).log(Log.LN).build());
        LogMel whisper = new LogMel(LogMelSettings.builder(Style.WHISPER).melBins(80).build());
        LogMel kaldi = new LogMel(LogMelSettings.builder(Style.KALDI).melBins(80).build());

        assertThat(torchaudio.frames(SR)).isEqualTo(101);             // 1 + L / hop
        assertThat(uncentred.frames(SR)).isEqualTo(98);               // 1 + (L - nFft) / hop
        assertThat(whisper.frames(30 * SR)).isEqualTo(3000);          // L / hop: the last frame is dropped
        assertThat(kaldi.frames(SR)).isEqualTo(98);                   // 1 + (L - 400) / 160, snip_edges
        assertThat(kaldi.frames(399)).isZero();
        assertThat(whisper.samplesFor(3000)).isEqualTo(30 * SR);
        for (LogMel logMel : new LogMel[] {torchaudio, uncentred, whisper, kaldi}) {
            for (int frames = 1; frames <= 40; frames++) {
                int samples = logMel.samplesFor(frames);
                assertThat(logMel.frames(samples)).isEqualTo(frames);
                assertThat(logMel.frames(samples - 1)).isLessThan(frames);
                assertThat(logMel.compute(new float[samples], samples)).hasNumberOfRows(frames);
            }
        }
    }

    /** The signal make_reference.py builds: two tones, a chirp and LCG noise, silent from sample 2000 to 2800. */
    private static float[] referenceSignal() {
        float[] x = new float[4800];
        long state = 12345;
        for (int i = 0; i < x.length; i++) {
            double t = i / (double) SR;
            state = (1103515245L * state + 12345) % (1L << 31);
            double noise = state / (double) (1L << 31) - 0.5;
            double value = 0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 1250 * t + 0.5)
                    + 0.1 * Math.sin(2 * Math.PI * (300 * t + 2000 * t * t)) + 0.05 * noise;
            x[i] = i >= 2000 && i < 2800 ? 0 : (float) value;
        }
        return x;
    }

    @Test
    void eachStyleMatchesAnIndependentNumpyImplementationOfItsLibrary() throws Exception {
        JsonNode reference;
        try (InputStream in = LogMelTest.class.getResourceAsStream("reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        float[] signal = referenceSignal();

        assertMatches(reference.get("torchaudio"), LogMelSettings.builder(Style.TORCHAUDIO).melBins(64).nFft(512)
                .windowLength(400).hop(160).fMin(50).fMax(7600).power(1).log(Log.LN).offset(1e-6)
                .normalize(Normalize.PER_UTTERANCE).build(), signal);
        assertMatches(reference.get("torchaudio-db"), LogMelSettings.builder(Style.TORCHAUDIO).melBins(40).hop(100)
                .window(Window.HAMMING).padMode(PadMode.CONSTANT).melScale(MelScale.SLANEY).melNorm(MelNorm.SLANEY)
                .log(Log.DB).dynamicRange(80).build(), signal);
        assertMatches(reference.get("whisper"), LogMelSettings.builder(Style.WHISPER).melBins(80).build(), signal);
        assertMatches(reference.get("kaldi"), LogMelSettings.builder(Style.KALDI).melBins(80).inputScale(32768).build(), signal);
    }

    private static void assertMatches(JsonNode expected, LogMelSettings settings, float[] signal) {
        float[][] features = new LogMel(settings).compute(signal, signal.length);
        assertThat(features).as(settings.style().toString()).hasNumberOfRows(expected.size());
        for (int t = 0; t < features.length; t++) {
            assertThat(features[t]).hasSize(expected.get(t).size());
            for (int m = 0; m < features[t].length; m++) {
                double value = expected.get(t).get(m).asDouble();
                // float32 output: within a few of its units in the last place
                assertThat((double) features[t][m]).as("%s frame %d mel %d", settings.style(), t, m)
                        .isCloseTo(value, within(2e-6 * Math.max(1, Math.abs(value))));
            }
        }
    }

    @Test
    void eachStyleDefaultsToItsLibrarysOwnDefaults() {
        LogMelSettings whisper = LogMelSettings.builder(Style.WHISPER).melBins(128).build();
        assertThat(whisper).isEqualTo(new LogMelSettings(Style.WHISPER, 128, 400, 400, 160, 0, 8000, Window.HANN, true,
                PadMode.REFLECT, 2, MelScale.SLANEY, MelNorm.SLANEY, 0, false, 1, Log.LOG10, 1e-10, 0, 8,
                Normalize.WHISPER, true));
        LogMelSettings kaldi = LogMelSettings.builder(Style.KALDI).melBins(80).windowMs(25).hopMs(10).build();
        assertThat(kaldi).isEqualTo(new LogMelSettings(Style.KALDI, 80, 512, 400, 160, 20, 8000, Window.POVEY, false,
                PadMode.REFLECT, 2, MelScale.KALDI, MelNorm.NONE, 0.97, true, 1, Log.LN, Math.ulp(1.0f), 0, 0,
                Normalize.NONE, false));
        LogMelSettings torchaudio = LogMelSettings.builder(Style.TORCHAUDIO).melBins(128).log(Log.LN).build();
        assertThat(torchaudio).isEqualTo(new LogMelSettings(Style.TORCHAUDIO, 128, 400, 400, 200, 0, 8000, Window.HANN,
                true, PadMode.REFLECT, 2, MelScale.HTK, MelNorm.NONE, 0, false, 1, Log.LN, 1e-10, 0, 0, Normalize.NONE,
                false));
    }

    @Test
    void settingsThatCannotBeComputedAreRefusedNamingTheField() {
        assertThatThrownBy(() -> LogMelSettings.builder(Style.WHISPER).build())
                .hasMessageStartingWith("melBins is required");
        assertThatThrownBy(() -> LogMelSettings.builder(Style.TORCHAUDIO).melBins(80).build())
                .hasMessageStartingWith("log is required with style torchaudio");
        assertThatThrownBy(() -> LogMelSettings.builder(Style.WHISPER).melBins(80).nFft(256).windowLength(400).build())
                .hasMessage("nFft must be at least the window length (400 samples) and at most 65536, got 256");
        assertThatThrownBy(() -> LogMelSettings.builder(Style.WHISPER).melBins(80).floor(1e-10).offset(1e-6).build())
                .hasMessage("floor and offset are two ways to avoid log(0); give one");
        assertThatThrownBy(() -> LogMelSettings.builder(Style.KALDI).melBins(80).center(true).build())
                .hasMessageStartingWith("center does not apply to style kaldi");
        assertThatThrownBy(() -> LogMelSettings.builder(Style.WHISPER).melBins(80).fMax(11025).build())
                .hasMessage("fMin and fMax must satisfy 0 <= fMin < fMax <= 8000 Hz, got 0.0 and 11025.0");
        assertThatThrownBy(() -> LogMelSettings.parse(Window.class, "window", "hanning"))
                .hasMessage("window is one of hann, hamming, povey, rectangular, not 'hanning'");
    }
}
