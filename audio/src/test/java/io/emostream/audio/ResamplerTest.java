package io.emostream.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResamplerTest {

    private static final int TARGET = 16000;
    /** Output samples at either end of a whole stream that still see the silence around it. */
    private static final int TRANSIENT = 100;

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 16000, 22050, 32000, 44100, 48000})
    void outputLengthIsTheExactRatio(int inputRate) {
        for (int n : new int[] {0, 1, 2, 3, 7, 100, 441, 1000, 12345}) {
            long expected = ((long) n * TARGET + inputRate - 1) / inputRate;
            assertThat(resampleWhole(inputRate, TARGET, new float[n])).as("%d samples", n).hasSize((int) expected);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 22050, 32000, 44100, 48000})
    void dcPassesUnchanged(int inputRate) {
        float[] dc = new float[inputRate];
        Arrays.fill(dc, 0.5f);

        float[] output = resampleWhole(inputRate, TARGET, dc);

        for (int i = TRANSIENT; i < output.length - TRANSIENT; i++) {
            assertThat(output[i]).as("sample %d", i).isCloseTo(0.5f, within(1e-4f));
        }
    }

    @Test
    void equalRatesCopyExactly() {
        float[] signal = noise(5000, 1);

        assertThat(resampleInRandomBlocks(new Resampler(48000, 48000), signal, 2)).containsExactly(signal);
    }

    @Test
    void keepsA1kHzToneWhenDownsampling48kTo16k() {
        float[] output = resampleWhole(48000, TARGET, sine(1000, 0.5, 48000, 48000));

        assertThat(amplitudeDb(output, 1000, 0.5)).isCloseTo(0.0, within(0.1));
        assertMatchesTone(output, 1000, 0.5, 1e-3);
    }

    @Test
    void keepsA1kHzToneWhenUpsampling8kTo16k() {
        float[] output = resampleWhole(8000, TARGET, sine(1000, 0.5, 8000, 8000));

        assertThat(amplitudeDb(output, 1000, 0.5)).isCloseTo(0.0, within(0.1));
        assertMatchesTone(output, 1000, 0.5, 1e-3);
    }

    @Test
    void removesAToneAboveTheOutputNyquistFrequency() {
        float[] output = resampleWhole(48000, TARGET, sine(10000, 0.5, 48000, 48000));

        double power = 0;
        for (int i = TRANSIENT; i < output.length - TRANSIENT; i++) {
            power += output[i] * (double) output[i];
        }
        double rms = Math.sqrt(power / (output.length - 2 * TRANSIENT));
        assertThat(20 * Math.log10(rms / (0.5 / Math.sqrt(2)))).isLessThan(-60.0);
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 22050, 32000, 44100, 48000})
    void matchesDirectConvolutionWithTheSameKernel(int inputRate) {
        float[] signal = noise(1500, inputRate);

        float[] fast = resampleWhole(inputRate, TARGET, signal);
        double[] reference = directConvolution(signal, inputRate, TARGET);

        assertThat(fast).hasSameSizeAs(reference);
        for (int i = 0; i < fast.length; i++) {
            assertThat((double) fast[i]).as("sample %d", i).isCloseTo(reference[i], within(1e-6));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 16000, 22050, 32000, 44100, 48000})
    void blocksOfAnySizeGiveTheSameOutputAsOneBlock(int inputRate) {
        float[] signal = noise(20000, 7);

        float[] whole = resampleWhole(inputRate, TARGET, signal);

        for (long seed = 1; seed <= 3; seed++) {
            assertThat(resampleInRandomBlocks(new Resampler(inputRate, TARGET), signal, seed)).containsExactly(whole);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 44100, 48000})
    void restoredSnapshotContinuesAsIfNeverStopped(int inputRate) throws Exception {
        float[] signal = noise(20000, 11);
        float[] uninterrupted = resampleWhole(inputRate, TARGET, signal);

        // Cut at the very start, inside the start-up silence, and deep into the stream.
        for (int cut : new int[] {0, 5, 37, 9999}) {
            Resampler before = new Resampler(inputRate, TARGET);
            float[] head = before.process(Arrays.copyOfRange(signal, 0, cut));
            Resampler.State state = serializedCopy(before.snapshot());

            Resampler after = Resampler.restore(inputRate, TARGET, state);
            float[] rest = resampleInRandomBlocks(after, Arrays.copyOfRange(signal, cut, signal.length), cut);

            assertThat(concat(head, rest)).as("cut at %d", cut).containsExactly(uninterrupted);
        }
    }

    @Test
    void refusesAStateFromOtherRates() {
        Resampler resampler = new Resampler(48000, TARGET);
        resampler.process(noise(1000, 3));

        assertThatThrownBy(() -> Resampler.restore(8000, TARGET, resampler.snapshot()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8000 Hz to 16000 Hz");
    }

    @Test
    void flushStartsANewStream() {
        float[] signal = noise(3000, 5);
        Resampler resampler = new Resampler(44100, TARGET);
        float[] first = concat(resampler.process(signal), resampler.flush());

        assertThat(concat(resampler.process(signal), resampler.flush())).containsExactly(first);
    }

    /** y[k] = sum over n of x[n] h(k in/out - n), straight from the kernel's definition, in double precision. */
    private static double[] directConvolution(float[] x, int inputRate, int outputRate) {
        double lowerRateRatio = Math.min(1.0, (double) outputRate / inputRate);
        double cutoff = PolyphaseFilter.CUTOFF * lowerRateRatio;
        double halfWidth = PolyphaseFilter.HALF_WIDTH / lowerRateRatio;
        double windowScale = besselI0ByIntegral(PolyphaseFilter.BETA);
        double[] y = new double[(int) (((long) x.length * outputRate + inputRate - 1) / inputRate)];
        for (int k = 0; k < y.length; k++) {
            double instant = (double) k * inputRate / outputRate;
            for (int n = Math.max(0, (int) Math.ceil(instant - halfWidth));
                    n <= Math.min(x.length - 1, (int) Math.floor(instant + halfWidth)); n++) {
                double t = instant - n;
                if (Math.abs(t) >= halfWidth) {
                    continue;
                }
                double sinc = t == 0 ? 1 : Math.sin(Math.PI * cutoff * t) / (Math.PI * cutoff * t);
                double r = t / halfWidth;
                double window = besselI0ByIntegral(PolyphaseFilter.BETA * Math.sqrt(1 - r * r)) / windowScale;
                y[k] += x[n] * cutoff * sinc * window;
            }
        }
        return y;
    }

    /** I0(x) = (1/2 pi) times the integral of exp(x cos theta) over a period; the trapezoid rule is exact there. */
    private static double besselI0ByIntegral(double x) {
        int steps = 64;
        double sum = 0;
        for (int i = 0; i < steps; i++) {
            sum += Math.exp(x * Math.cos(2 * Math.PI * i / steps));
        }
        return sum / steps;
    }

    /** Amplitude of the tone at {@code frequency} in the steady-state output, relative to {@code expected}, in dB. */
    private static double amplitudeDb(float[] output, double frequency, double expected) {
        // A whole number of periods (16 samples each at 1 kHz) keeps the projection exact.
        int from = 160;
        int to = output.length - 160;
        double in = 0;
        double quadrature = 0;
        for (int i = from; i < to; i++) {
            double angle = 2 * Math.PI * frequency * i / TARGET;
            in += output[i] * Math.sin(angle);
            quadrature += output[i] * Math.cos(angle);
        }
        double amplitude = 2 * Math.hypot(in, quadrature) / (to - from);
        return 20 * Math.log10(amplitude / expected);
    }

    private static void assertMatchesTone(float[] output, double frequency, double amplitude, double tolerance) {
        for (int i = TRANSIENT; i < output.length - TRANSIENT; i++) {
            double expected = amplitude * Math.sin(2 * Math.PI * frequency * i / TARGET);
            assertThat((double) output[i]).as("sample %d", i).isCloseTo(expected, within(tolerance));
        }
    }

    private static float[] resampleWhole(int inputRate, int outputRate, float[] signal) {
        Resampler resampler = new Resampler(inputRate, outputRate);
        return concat(resampler.process(signal), resampler.flush());
    }

    /** Feeds the signal in blocks of random size, empty ones included, then flushes. */
    private static float[] resampleInRandomBlocks(Resampler resampler, float[] signal, long seed) {
        Random random = new Random(seed);
        float[] output = new float[0];
        for (int at = 0; at < signal.length; ) {
            int size = Math.min(signal.length - at, random.nextInt(random.nextBoolean() ? 8 : 3000));
            output = concat(output, resampler.process(Arrays.copyOfRange(signal, at, at + size)));
            at += size;
        }
        return concat(output, resampler.flush());
    }

    private static Resampler.State serializedCopy(Resampler.State state) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Resampler.State) in.readObject();
        }
    }

    private static float[] sine(double frequency, double amplitude, int rate, int length) {
        float[] samples = new float[length];
        for (int i = 0; i < length; i++) {
            samples[i] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return samples;
    }

    private static float[] noise(int length, long seed) {
        Random random = new Random(seed);
        float[] samples = new float[length];
        for (int i = 0; i < length; i++) {
            samples[i] = random.nextFloat() * 2 - 1;
        }
        return samples;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
