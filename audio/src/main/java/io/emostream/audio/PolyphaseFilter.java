package io.emostream.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coefficient tables of a Kaiser-windowed sinc low-pass, one row per output phase, for a rational rate
 * change {@code up/down}. Output sample {@code k} sits at input time {@code k * down / up}; its centre is the
 * input index {@code floor} of that and its phase the remainder {@code (k * down) mod up}.
 * Tables are immutable and shared, since every stream at the same pair of rates needs the same one. A table holds
 * {@code up * taps} doubles: about 300 KB from 44.1 or 22.05 kHz to 16 kHz, far more for odd pairs such as 44101 Hz.
 */
final class PolyphaseFilter {

    /** Cut-off (-6 dB) as a fraction of the lower of the two Nyquist frequencies. */
    static final double CUTOFF = 0.92;
    /** Half-width of the kernel, in samples at the lower of the two rates. */
    static final int HALF_WIDTH = 40;
    /** Kaiser window shape. */
    static final double BETA = 9.0;

    private static final Map<Long, PolyphaseFilter> CACHE = new ConcurrentHashMap<>();

    final int up;
    final int down;
    /** Coefficients per phase; tap {@code j} weighs input {@code centre + lookahead - taps + 1 + j}. */
    final double[][] phases;
    final int taps;
    /** How many input samples after its centre an output sample depends on. */
    final int lookahead;

    private PolyphaseFilter(int up, int down, double[][] phases, int lookahead) {
        this.up = up;
        this.down = down;
        this.phases = phases;
        this.taps = phases[0].length;
        this.lookahead = lookahead;
    }

    static PolyphaseFilter forRates(int inputRate, int outputRate) {
        if (inputRate <= 0 || outputRate <= 0) {
            throw new IllegalArgumentException(
                    "Sample rates must be positive, got " + inputRate + " Hz and " + outputRate + " Hz.");
        }
        return CACHE.computeIfAbsent(((long) inputRate << 32) | outputRate, key -> design(inputRate, outputRate));
    }

    private static PolyphaseFilter design(int inputRate, int outputRate) {
        int gcd = gcd(inputRate, outputRate);
        int up = outputRate / gcd;
        int down = inputRate / gcd;
        if (up == down) {
            return new PolyphaseFilter(1, 1, new double[][] {{1.0}}, 0);
        }
        double lowerRateRatio = Math.min(1.0, (double) up / down);
        double halfWidth = HALF_WIDTH / lowerRateRatio;
        int lookahead = (int) Math.ceil(halfWidth);
        int taps = 2 * lookahead;
        double[][] phases = new double[up][taps];
        for (int phase = 0; phase < up; phase++) {
            for (int tap = 0; tap < taps; tap++) {
                double distance = (double) phase / up + lookahead - 1 - tap;
                phases[phase][tap] = kernel(distance, lowerRateRatio, halfWidth);
            }
        }
        return new PolyphaseFilter(up, down, phases, lookahead);
    }

    /**
     * The low-pass impulse response at {@code t} input samples from the output instant: a sinc cut off at
     * {@link #CUTOFF} of the lower Nyquist, under a Kaiser window {@code halfWidth} input samples wide.
     */
    private static double kernel(double t, double lowerRateRatio, double halfWidth) {
        if (Math.abs(t) >= halfWidth) {
            return 0.0;
        }
        double cutoff = CUTOFF * lowerRateRatio;
        double x = Math.PI * cutoff * t;
        double sinc = x == 0.0 ? 1.0 : Math.sin(x) / x;
        double r = t / halfWidth;
        return cutoff * sinc * besselI0(BETA * Math.sqrt(1.0 - r * r)) / besselI0(BETA);
    }

    /** Modified Bessel function of the first kind, order 0, by its power series (converges fast for the window). */
    private static double besselI0(double x) {
        double sum = 1.0;
        double term = 1.0;
        double quarterSquare = x * x / 4.0;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= quarterSquare / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
