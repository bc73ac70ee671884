package io.emostream.audio.wav;

import io.emostream.audio.SampleEncoding;
import java.util.Objects;

/**
 * What a WAV file holds and how {@link WavReader} delivers it.
 *
 * @param sampleRate        sample frames per second
 * @param channels          channels per frame
 * @param encoding          encoding of the samples the reader delivers
 * @param sourceFormat      what the file itself stores, for people, e.g. "PCM 24-bit" or "μ-law"
 * @param declaredDataBytes size of the audio data the header declares, or -1 where the header holds a placeholder
 *                          because the file was written to a pipe
 */
public record WavFormat(int sampleRate, int channels, SampleEncoding encoding, String sourceFormat,
        long declaredDataBytes) {

    public WavFormat {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(sourceFormat, "sourceFormat");
    }

    /** Bytes of one delivered sample frame, all channels together. */
    public int bytesPerFrame() {
        return channels * encoding.bytesPerSample();
    }

    public double secondsFor(long frames) {
        return (double) frames / sampleRate;
    }
}
