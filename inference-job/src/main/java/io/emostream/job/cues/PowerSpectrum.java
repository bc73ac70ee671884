package io.emostream.job.cues;

/**
 * Power spectra of real frames of one fixed, power-of-two size: an iterative radix-2 FFT of half the size over the
 * even and odd samples packed as one complex sequence, then split into the real frame's spectrum. Holds its
 * buffers, so one instance serves one thread.
 */
final class PowerSpectrum {
    private final int size;
    private final int half;
    private final double[] real;
    private final double[] imaginary;
    private final int[] bitReversed;
    /** cos and sin of 2πk/half, for the butterflies. */
    private final double[] cos;
    private final double[] sin;
    /** cos and sin of 2πk/size, for splitting the packed spectrum. */
    private final double[] splitCos;
    private final double[] splitSin;

    PowerSpectrum(int size) {
        if (size < 4 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two of at least 4, got " + size + ".");
        }
        this.size = size;
        half = size / 2;
        real = new double[half];
        imaginary = new double[half];
        bitReversed = new int[half];
        int bits = Integer.numberOfTrailingZeros(half);
        for (int i = 0; i < half; i++) {
            bitReversed[i] = Integer.reverse(i) >>> (Integer.SIZE - bits);
        }
        cos = new double[half / 2];
        sin = new double[half / 2];
        for (int k = 0; k < half / 2; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / half);
            sin[k] = Math.sin(2 * Math.PI * k / half);
        }
        splitCos = new double[half + 1];
        splitSin = new double[half + 1];
        for (int k = 0; k <= half; k++) {
            splitCos[k] = Math.cos(2 * Math.PI * k / size);
            splitSin[k] = Math.sin(2 * Math.PI * k / size);
        }
    }

    int size() {
        return size;
    }

    /** Adds |X[k]|² of {@code frame[0..size)} to {@code sums[k]}, for k = 0 .. size/2. */
    void accumulate(double[] frame, double[] sums) {
        for (int m = 0; m < half; m++) {
            int to = bitReversed[m];
            real[to] = frame[2 * m];
            imaginary[to] = frame[2 * m + 1];
        }
        for (int length = 2; length <= half; length <<= 1) {
            int step = half / length;
            int span = length / 2;
            for (int i = 0; i < half; i += length) {
                for (int j = 0; j < span; j++) {
                    double wr = cos[j * step];
                    double wi = -sin[j * step];
                    int a = i + j;
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
        // X[k] = E[k] + e^(−2πik/size)·O[k], E and O being the spectra of the even and the odd samples.
        for (int k = 0; k <= half; k++) {
            int at = k % half;
            int mirror = (half - k) % half;
            double evenReal = (real[at] + real[mirror]) / 2;
            double evenImaginary = (imaginary[at] - imaginary[mirror]) / 2;
            double oddReal = (imaginary[at] + imaginary[mirror]) / 2;
            double oddImaginary = -(real[at] - real[mirror]) / 2;
            double xr = evenReal + splitCos[k] * oddReal + splitSin[k] * oddImaginary;
            double xi = evenImaginary + splitCos[k] * oddImaginary - splitSin[k] * oddReal;
            sums[k] += xr * xr + xi * xi;
        }
    }
}
