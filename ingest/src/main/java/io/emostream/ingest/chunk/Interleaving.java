package io.emostream.ingest.chunk;

/** Splits interleaved sample frames into one array per channel. */
public final class Interleaving {
    private Interleaving() {
    }

    public static byte[][] split(byte[] data, int offset, int frames, int channels, int bytesPerSample) {
        byte[][] out = new byte[channels][frames * bytesPerSample];
        if (channels == 1) {
            System.arraycopy(data, offset, out[0], 0, frames * bytesPerSample);
            return out;
        }
        int frameBytes = channels * bytesPerSample;
        for (int frame = 0; frame < frames; frame++) {
            int from = offset + frame * frameBytes;
            for (int c = 0; c < channels; c++) {
                System.arraycopy(data, from + c * bytesPerSample, out[c], frame * bytesPerSample, bytesPerSample);
            }
        }
        return out;
    }
}
