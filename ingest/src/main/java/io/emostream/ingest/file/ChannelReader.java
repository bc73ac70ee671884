package io.emostream.ingest.file;

import java.io.IOException;

/** Something that yields a recording's audio split per channel, until it returns null at the end. */
@FunctionalInterface
public interface ChannelReader {
    byte[][] readChannels(int maxFrames) throws IOException;
}
