package io.emostream.audio;

/** What emostream accepts as audio, wherever it arrives: files, pipes or live streams. */
public final class AudioLimits {
    public static final int MAX_CHANNELS = 32;
    public static final int MIN_SAMPLE_RATE = 1000;
    public static final int MAX_SAMPLE_RATE = 384_000;

    private AudioLimits() {
    }
}
