package io.emostream.audio;

/** How mono samples are laid out in a byte payload. */
public enum SampleEncoding {
    /** Signed 16-bit linear PCM, little-endian. */
    PCM_S16LE(2),
    /** ITU-T G.711 μ-law, one byte per sample. */
    MULAW(1),
    /** ITU-T G.711 A-law, one byte per sample. */
    ALAW(1);

    private final int bytesPerSample;

    SampleEncoding(int bytesPerSample) {
        this.bytesPerSample = bytesPerSample;
    }

    public int bytesPerSample() {
        return bytesPerSample;
    }
}
