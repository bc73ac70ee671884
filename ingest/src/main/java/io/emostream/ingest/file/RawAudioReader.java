package io.emostream.ingest.file;

import io.emostream.ingest.chunk.Interleaving;
import java.io.IOException;
import java.io.InputStream;

/** Headerless interleaved samples from a stream (e.g. stdin), in a format the user states. */
public final class RawAudioReader implements ChannelReader {
    private final InputStream in;
    private final int channels;
    private final int bytesPerSample;
    private byte[] buffer = new byte[0];
    private int droppedBytes;

    public RawAudioReader(InputStream in, int channels, int bytesPerSample) {
        this.in = in;
        this.channels = channels;
        this.bytesPerSample = bytesPerSample;
    }

    @Override
    public byte[][] readChannels(int maxFrames) throws IOException {
        int frameBytes = channels * bytesPerSample;
        if (buffer.length < maxFrames * frameBytes) {
            buffer = new byte[maxFrames * frameBytes];
        }
        int filled = in.readNBytes(buffer, 0, maxFrames * frameBytes);
        int frames = filled / frameBytes;
        if (frames < maxFrames) {
            droppedBytes = filled - frames * frameBytes;
        }
        return frames == 0 ? null : Interleaving.split(buffer, 0, frames, channels, bytesPerSample);
    }

    /** Bytes at the very end that did not make a whole sample frame, and were dropped. */
    public int droppedBytes() {
        return droppedBytes;
    }
}
