package io.emostream.ingest.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Any bytes read as an ICY stream with any {@code icy-metaint}, in pieces of any size, give exactly the audio between
 * the metadata blocks and a title for at most each block, or fail with the one EOFException of a stream cut inside a
 * block; each read gives at least one byte until the end, so no reader spins. The unit tests run the seeds and past
 * findings (in {@code src/test/resources/.../IcyMetadataStreamFuzzTestInputs}); {@code bin/fuzz} fuzzes it for a
 * while.
 */
class IcyMetadataStreamFuzzTest {
    @FuzzTest
    void anyStreamIsAudioAndTitlesOrCutInABlock(FuzzedDataProvider data) throws Exception {
        int interval = data.consumeBoolean() ? data.consumeInt(1, 64) : data.consumeInt(1, Integer.MAX_VALUE);
        int readSize = data.consumeInt(1, 256);
        int piece = data.consumeInt(1, 256);
        byte[] bytes = data.consumeRemainingAsBytes();
        Expected expected = Expected.of(bytes, interval);
        List<Map<String, String>> told = new ArrayList<>();

        InputStream icy = new IcyMetadataStream(new Trickle(bytes, piece), interval, told::add);
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        EOFException cut = null;
        try {
            byte[] buffer = new byte[readSize];
            for (int reads = 0; ; reads++) {
                assertThat(reads).as("reads of a %d-byte stream", bytes.length).isLessThanOrEqualTo(bytes.length);
                int n = readSize == 1 ? oneByte(icy, buffer) : icy.read(buffer, 0, readSize);
                if (n < 0) {
                    break;
                }
                assertThat(n).isBetween(1, readSize);
                audio.write(buffer, 0, n);
            }
        } catch (EOFException e) {
            cut = e;
        }

        assertThat(audio.toByteArray()).isEqualTo(expected.audio.toByteArray());
        if (expected.cutInBlock) {
            assertThat(cut).hasMessage("the stream ended inside an ICY metadata block");
        } else {
            assertThat(cut).isNull();
        }
        assertThat(told.size()).isLessThanOrEqualTo(expected.blocksWithText);
        assertThat(told).allSatisfy(fields -> assertThat(fields.keySet()).allMatch(key -> key.matches("\\w+")));
    }

    private static int oneByte(InputStream in, byte[] buffer) throws Exception {
        int b = in.read();
        if (b < 0) {
            return -1;
        }
        buffer[0] = (byte) b;
        return 1;
    }

    /** What the stream holds, worked out independently of the class under test. */
    private static final class Expected {
        final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        int blocksWithText;
        boolean cutInBlock;

        static Expected of(byte[] bytes, int interval) {
            Expected expected = new Expected();
            int at = 0;
            while (true) {
                int audioBytes = (int) Math.min(interval, bytes.length - at);
                expected.audio.write(bytes, at, audioBytes);
                at += audioBytes;
                if (at == bytes.length) {
                    return expected;
                }
                int blockBytes = (bytes[at++] & 0xff) * 16;
                if (bytes.length - at < blockBytes) {
                    expected.cutInBlock = true;
                    return expected;
                }
                if (blockBytes > 0) {
                    expected.blocksWithText++;
                }
                at += blockBytes;
            }
        }
    }

    /** A network stream: at most {@code piece} bytes a read. */
    private static final class Trickle extends ByteArrayInputStream {
        private final int piece;

        Trickle(byte[] bytes, int piece) {
            super(bytes);
            this.piece = piece;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, piece));
        }
    }
}
