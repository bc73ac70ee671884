package io.emostream.job.model.logmel;

import java.util.Arrays;

/**
 * Power spectra |X[k]|², k = 0 … n/2, of real frames of any length n. A power of two takes an iterative radix-2 FFT;
 * any other length (Whisper's and torchaudio's 400) Bluestein's algorithm, which writes the DFT as a convolution
 * with a chirp and does that convolution with radix-2 FFTs of the next power of two at least 2n − 1. All in double.
 * Holds its buffers: one instance serves one thread.
 */
final class RealFft {
    private final int n;
    private final Radix2 fft;
    private final double[] real;
    private final double[] imaginary;
    /** Bluestein only: the chirp w[j] = e^(−iπj²/n), and the FFT of its conjugate laid out for circular convolution. */
    private final double[] chirpCos;
    private final double[] chirpSin;
    private final double[] kernelReal;
    private final double[] kernelImaginary;

    RealFft(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length must be at least 1, got " + n + ".");
        }
        this.n = n;
        boolean powerOfTwo = Integer.bitCount(n) == 1;
        int size = powerOfTwo ? n : Integer.highestOneBit(2 * n - 1) << 1;
        fft = new Radix2(size);
        real = new double[size];
        imaginary = new double[size];
        if (powerOfTwo) {
            chirpCos = chirpSin = kernelReal = kernelImaginary = null;
            return;
        }
        chirpCos = new double[n];
        chirpSin = new double[n];
        for (int j = 0; j < n; j++) {
            // j² mod 2n keeps the angle small, so the chirp stays accurate for long frames.
            double angle = Math.PI * (((long) j * j) % (2L * n)) / n;
            chirpCos[j] = Math.cos(angle);
            chirpSin[j] = -Math.sin(angle);
        }
        kernelReal = new double[size];
        kernelImaginary = new double[size];
        kernelReal[0] = 1;
        for (int j = 1; j < n; j++) {
            kernelReal[j] = kernelReal[size - j] = chirpCos[j];
            kernelImaginary[j] = kernelImaginary[size - j] = -chirpSin[j];
        }
        fft.transform(kernelReal, kernelImaginary, false);
    }

    int length() {
        return n;
    }

    /** Writes |X[k]|² of {@code frame[0..n)} to {@code power[k]}, k = 0 … n/2. */
    void power(double[] frame, double[] power) {
        Arrays.fill(real, 0);
        Arrays.fill(imaginary, 0);
        if (chirpCos == null) {
            System.arraycopy(frame, 0, real, 0, n);
            fft.transform(real, imaginary, false);
            for (int k = 0; k <= n / 2; k++) {
                power[k] = real[k] * real[k] + imaginary[k] * imaginary[k];
            }
            return;
        }
        // X[k] = w[k] · Σ_j (x[j]·w[j]) · conj(w[k − j]), since jk = (j² + k² − (k − j)²) / 2.
        for (int j = 0; j < n; j++) {
            real[j] = frame[j] * chirpCos[j];
            imaginary[j] = frame[j] * chirpSin[j];
        }
        fft.transform(real, imaginary, false);
        for (int k = 0; k < real.length; k++) {
            double r = real[k] * kernelReal[k] - imaginary[k] * kernelImaginary[k];
            double i = real[k] * kernelImaginary[k] + imaginary[k] * kernelReal[k];
            real[k] = r;
            imaginary[k] = i;
        }
        fft.transform(real, imaginary, true);
        // |w[k]| = 1, so the power needs no final chirp; the inverse FFT's 1/size does remain.
        double scale = 1.0 / ((double) real.length * real.length);
        for (int k = 0; k <= n / 2; k++) {
            power[k] = (real[k] * real[k] + imaginary[k] * imaginary[k]) * scale;
        }
    }

    /** An in-place complex FFT of one power-of-two size; the inverse is unscaled. */
    private static final class Radix2 {
        private final int size;
        private final int[] bitReversed;
        private final double[] cos;
        private final double[] sin;

        Radix2(int size) {
            this.size = size;
            bitReversed = new int[size];
            int bits = Integer.numberOfTrailingZeros(size);
            for (int i = 0; i < size && bits > 0; i++) {
                bitReversed[i] = Integer.reverse(i) >>> (Integer.SIZE - bits);
            }
            cos = new double[Math.max(1, size / 2)];
            sin = new double[Math.max(1, size / 2)];
            for (int k = 0; k < size / 2; k++) {
                cos[k] = Math.cos(2 * Math.PI * k / size);
                sin[k] = Math.sin(2 * Math.PI * k / size);
            }
        }

        void transform(double[] real, double[] imaginary, boolean inverse) {
            for (int i = 0; i < size; i++) {
                int j = bitReversed[i];
                if (j > i) {
                    double t = real[i];
                    real[i] = real[j];
                    real[j] = t;
                    t = imaginary[i];
                    imaginary[i] = imaginary[j];
                    imaginary[j] = t;
                }
            }
            double sign = inverse ? 1 : -1;
            for (int length = 2; length <= size; length <<= 1) {
                int span = length / 2;
                int step = size / length;
                for (int start = 0; start < size; start += length) {
                    for (int j = 0; j < span; j++) {
                        double wr = cos[j * step];
                        double wi = sign * sin[j * step];
                        int a = start + j;
                        int b = a + span;
                        double tr = real[b] * wr - imaginary[b] * wi;
                        double ti = real[b] * wi + imaginary[b] * wr;
                        real[b] = real[a] - tr;
                        imaginary[b] = imaginary[a] - ti;
                        real[a] += tr;
                        imaginary[a] += ti;
                    }
                }
            }
        }
    }
}
