package io.emostream.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test-side WAV handling written independently of the production reader: pulls one channel's raw sample bytes
 * out of a file's data chunk, and writes simple PCM files.
 */
public final class WavFiles {
    private WavFiles() {
    }

    /** The untouched bytes of one channel (for 16-bit PCM, μ-law and A-law files). */
    public static byte[] channelBytes(Path wav, int channel) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        int channels = 0;
        int bytesPerSample = 0;
        int pos = 12;
        while (pos + 8 <= b.limit()) {
            String id = new String(b.array(), pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            if (id.equals("fmt ")) {
                channels = b.getShort(pos + 10);
                bytesPerSample = b.getShort(pos + 22) / 8;
            } else if (id.equals("data")) {
                int start = pos + 8;
                int end = (int) Math.min(b.limit(), size >= 0x7FFF0000L ? b.limit() : start + size);
                int frameBytes = channels * bytesPerSample;
                int frames = (end - start) / frameBytes;
                byte[] out = new byte[frames * bytesPerSample];
                for (int f = 0; f < frames; f++) {
                    System.arraycopy(b.array(), start + f * frameBytes + channel * bytesPerSample, out,
                            f * bytesPerSample, bytesPerSample);
                }
                return out;
            }
            pos += 8 + (int) size + (int) (size & 1);
        }
        throw new IOException(wav + " has no data chunk");
    }

    /** Writes a 16-bit PCM WAV holding these interleaved samples. */
    public static Path writePcm16(Path file, int sampleRate, int channels, short[] interleaved) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + interleaved.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + interleaved.length * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.put("data".getBytes()).putInt(interleaved.length * 2);
        for (short s : interleaved) {
            b.putShort(s);
        }
        return Files.write(file, b.array());
    }

    /** A mono tone: {@code seconds} of a 440 Hz sine at half scale. */
    public static short[] tone(int sampleRate, double seconds) {
        short[] s = new short[(int) (sampleRate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (16000 * Math.sin(2 * Math.PI * 440 * i / sampleRate));
        }
        return s;
    }
}
