package io.emostream.audio;

import java.util.Objects;

/** Turns an encoded mono payload into float samples in [-1, 1), the scale every analysis step works in. */
public final class SampleDecoder {

    private static final float FULL_SCALE = 32768f;

    private SampleDecoder() {
    }

    public static float[] toFloat(byte[] payload, SampleEncoding encoding) {
        return toFloat(payload, 0, payload.length, encoding);
    }

    public static float[] toFloat(byte[] payload, int offset, int length, SampleEncoding encoding) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        int bytesPerSample = encoding.bytesPerSample();
        if (length % bytesPerSample != 0) {
            throw new IllegalArgumentException("An audio payload of " + length + " bytes is not a whole number of "
                    + bytesPerSample + "-byte " + encoding + " samples.");
        }
        float[] samples = new float[length / bytesPerSample];
        for (int i = 0, at = offset; i < samples.length; i++, at += bytesPerSample) {
            samples[i] = linear(payload, at, encoding) / FULL_SCALE;
        }
        return samples;
    }

    private static short linear(byte[] payload, int at, SampleEncoding encoding) {
        return switch (encoding) {
            case PCM_S16LE -> (short) ((payload[at] & 0xFF) | (payload[at + 1] << 8));
            case MULAW -> G711.ulawToLinear(payload[at]);
            case ALAW -> G711.alawToLinear(payload[at]);
        };
    }
}
