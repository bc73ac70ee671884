package io.emostream.ingest.net;

import java.io.IOException;
import java.io.InputStream;

/** A stream whose logic lives in {@link #read(byte[], int, int)}: the one-byte read goes through it. */
public abstract class BlockInputStream extends InputStream {
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
