package io.emostream.audio.wav;

import io.emostream.audio.AudioLimits;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads WAV audio from a stream, front to back, so that pipes and standard input work as well as files.
 *
 * <p>Accepts RIFF/WAVE with PCM (8-bit unsigned, 16/24/32-bit signed), IEEE float (32/64-bit), A-law and μ-law,
 * also inside WAVE_FORMAT_EXTENSIBLE, and skips chunks it does not need. 16-bit PCM, μ-law and A-law are
 * delivered byte for byte; everything else becomes 16-bit PCM: 8-bit as {@code (b - 128) << 8}, 24/32-bit by
 * keeping the top 16 bits (no rounding), float clamped to [-1, 1], times 32767, rounded half away from zero, NaN
 * as 0.
 *
 * <p>Files written to a pipe carry placeholder sizes (0, 0xFFFFFFFF, or values from 0x7FFF0000 up); their audio is
 * read to the end of the stream. Problems that do not stop reading, such as audio data cut short, are collected
 * in {@link #warnings()}.
 */
public final class WavReader implements Closeable {

    static final int TAG_PCM = 0x0001;
    static final int TAG_IEEE_FLOAT = 0x0003;
    static final int TAG_ALAW = 0x0006;
    static final int TAG_MULAW = 0x0007;
    private static final int TAG_EXTENSIBLE = 0xFFFE;

    private static final Map<Integer, String> TAG_NAMES = Map.ofEntries(
            Map.entry(TAG_PCM, "PCM"), Map.entry(0x0002, "Microsoft ADPCM"), Map.entry(TAG_IEEE_FLOAT, "IEEE float"),
            Map.entry(TAG_ALAW, "A-law"), Map.entry(TAG_MULAW, "μ-law"), Map.entry(0x0011, "IMA ADPCM"),
            Map.entry(0x0031, "GSM 6.10"), Map.entry(0x0040, "G.721 ADPCM"), Map.entry(0x0050, "MPEG audio"),
            Map.entry(0x0055, "MP3"), Map.entry(0x0064, "G.726 ADPCM"), Map.entry(0x00FF, "AAC"),
            Map.entry(0x2000, "AC-3"));
    /** Bytes 2 to 15 of every KSDATAFORMAT sub-format GUID; bytes 0 and 1 hold the plain format tag. */
    private static final byte[] SUBFORMAT_SUFFIX = {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    /** Larger than any real format description; a bigger 'fmt ' chunk means a damaged header. */
    private static final int MAX_FMT_BYTES = 1024;
    /** Data sizes from here up are placeholders written by tools that stream to a pipe (espeak-ng uses 0x7FFFF000). */
    private static final long PLACEHOLDER_DATA_BYTES = 0x7FFF0000L;
    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private static final String CONVERT =
            "convert it to WAV first, e.g. with: ffmpeg -i INPUT -c:a pcm_s16le OUTPUT.wav";
    private static final String DAMAGED = "the header is damaged, so export or convert the file again";

    private final InputStream in;
    private final WavFormat format;
    private final SourceEncoding source;
    private final int sourceFrameBytes;
    /** Bytes of audio data still to read, or -1 to read to the end of the stream. */
    private long remainingDataBytes;
    private long dataBytesRead;
    private long framesRead;
    private boolean ended;
    private byte[] buffer = new byte[0];
    private final List<String> warnings = new ArrayList<>();

    private WavReader(InputStream in, WavFormat format, SourceEncoding source) {
        this.in = in;
        this.format = format;
        this.source = source;
        this.sourceFrameBytes = format.channels() * source.bytesPerSample;
        this.remainingDataBytes = format.declaredDataBytes();
    }

    /** Reads and checks the header; the stream is then positioned at the first audio sample. */
    public static WavReader open(InputStream in) throws IOException {
        PushbackInputStream stream = new PushbackInputStream(in, 1);
        HeaderInput header = new HeaderInput(stream);
        byte[] start = header.readUpTo(12);
        if (start.length == 0) {
            throw new WavFormatException("is empty (0 bytes)");
        }
        if (!startsWith(start, "RIFF")) {
            throw start.length < 4 && "RIFF".startsWith(ascii(start))
                    ? header.truncated() : new WavFormatException(describeNonWav(start));
        }
        if (start.length < 12) {
            throw header.truncated();
        }
        // The RIFF size is ignored: pipe writers fill it with placeholders, and the chunk sizes say all we need.
        String form = ascii(Arrays.copyOfRange(start, 8, 12));
        if (!form.equals("WAVE")) {
            throw new WavFormatException("is a RIFF file of type '" + printable(form) + "', not WAVE audio; " + CONVERT);
        }
        Fmt fmt = null;
        while (true) {
            byte[] chunk = header.readUpTo(8);
            if (chunk.length == 0) {
                throw new WavFormatException(fmt == null
                        ? "has no 'fmt ' chunk describing its audio; " + DAMAGED
                        : "has no 'data' chunk, so it holds no audio; the file is incomplete, so export it again");
            }
            if (chunk.length < 8) {
                throw header.truncated();
            }
            String id = ascii(Arrays.copyOf(chunk, 4));
            long size = littleEndian(chunk, 4, 4);
            if (id.equals("data")) {
                if (fmt == null) {
                    throw new WavFormatException("has no 'fmt ' chunk before its audio data; " + DAMAGED);
                }
                return new WavReader(stream, fmt.toFormat(dataBytes(size, stream)), fmt.source());
            }
            if (id.equals("fmt ")) {
                if (size < 16 || size > MAX_FMT_BYTES) {
                    throw new WavFormatException("has a 'fmt ' chunk of " + size + " bytes, which cannot be a "
                            + "format description; " + DAMAGED);
                }
                fmt = Fmt.parse(header.readExactly((int) size));
                header.skip(size & 1);
            } else {
                header.skip(size + (size & 1));
            }
        }
    }

    public WavFormat format() {
        return format;
    }

    /**
     * Reads the next sample frames, up to {@code maxFrames} (fewer at the end of the audio), and returns one array
     * per channel holding that channel's samples in {@link WavFormat#encoding()}; null once the audio has ended.
     */
    public byte[][] readChannels(int maxFrames) throws IOException {
        if (maxFrames <= 0) {
            throw new IllegalArgumentException("maxFrames must be positive, got " + maxFrames + ".");
        }
        if (ended) {
            return null;
        }
        long wanted = Math.min(maxFrames, MAX_ARRAY_BYTES / sourceFrameBytes) * (long) sourceFrameBytes;
        if (remainingDataBytes >= 0) {
            wanted = Math.min(wanted, remainingDataBytes);
        }
        int filled = fill((int) wanted);
        dataBytesRead += filled;
        if (remainingDataBytes >= 0) {
            remainingDataBytes -= filled;
        }
        int frames = filled / sourceFrameBytes;
        framesRead += frames;
        if (filled < wanted || remainingDataBytes == 0) {
            ended = true;
            noteHowTheAudioEnded(filled % sourceFrameBytes);
        }
        return frames == 0 ? null : deinterleave(frames);
    }

    /** Problems that did not stop reading, one sentence each; complete once {@link #readChannels} returned null. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public long framesRead() {
        return framesRead;
    }

    /** The sample frames the header declares, or -1 when it holds a pipe's placeholder instead of a length. */
    public long declaredFrames() {
        return format.declaredDataBytes() < 0 ? -1 : format.declaredDataBytes() / sourceFrameBytes;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads until {@code count} bytes are buffered or the stream ends, since streams may return short reads. */
    private int fill(int count) throws IOException {
        int filled = 0;
        while (filled < count) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(count, Math.max(65536, 2L * buffer.length)));
            }
            int read = in.read(buffer, filled, Math.min(count, buffer.length) - filled);
            if (read < 0) {
                break;
            }
            filled += read;
        }
        return filled;
    }

    private void noteHowTheAudioEnded(int partialFrameBytes) {
        if (remainingDataBytes > 0) {
            warnings.add(String.format(Locale.ROOT,
                    "audio data ends after %d of the %d bytes its header declares; using the %.2f s that are there",
                    dataBytesRead, format.declaredDataBytes(), format.secondsFor(framesRead)));
        }
        if (partialFrameBytes > 0) {
            warnings.add("audio data ends in the middle of a sample frame (" + partialFrameBytes + " of "
                    + sourceFrameBytes + " bytes); that incomplete frame was dropped");
        }
    }

    private byte[][] deinterleave(int frames) {
        int channels = format.channels();
        int sampleBytes = source.bytesPerSample;
        int deliveredBytes = format.encoding().bytesPerSample();
        byte[][] samples = new byte[channels][frames * deliveredBytes];
        for (int channel = 0; channel < channels; channel++) {
            byte[] target = samples[channel];
            int from = channel * sampleBytes;
            for (int to = 0; to < target.length; to += deliveredBytes, from += sourceFrameBytes) {
                source.deliver(buffer, from, target, to);
            }
        }
        return samples;
    }

    /** The declared size of the audio data, or -1 where the header holds a pipe writer's placeholder. */
    private static long dataBytes(long declared, PushbackInputStream stream) throws IOException {
        if (declared >= PLACEHOLDER_DATA_BYTES) {
            return -1;
        }
        if (declared == 0) {
            int next = stream.read();
            if (next < 0) {
                throw new WavFormatException("has no audio data (its 'data' chunk is empty)");
            }
            stream.unread(next);
            return -1;
        }
        return declared;
    }

    private static String describeNonWav(byte[] start) {
        String what;
        if (startsWith(start, "ID3")) {
            what = "is an MP3 file, not WAV";
        } else if (start.length >= 2 && (start[0] & 0xFF) == 0xFF && (start[1] & 0xE0) == 0xE0) {
            what = "looks like MPEG audio (MP3 or AAC), not WAV";
        } else if (startsWith(start, "OggS")) {
            what = "is an Ogg file (Vorbis or Opus), not WAV";
        } else if (startsWith(start, "fLaC")) {
            what = "is a FLAC file, not WAV";
        } else if (startsWith(start, "FORM")) {
            what = "is an AIFF file, not WAV";
        } else if (startsWith(start, "RIFX")) {
            what = "is a big-endian RIFX file, which is not supported";
        } else if (startsWith(start, "RF64")) {
            what = "is an RF64 (64-bit WAV) file, which is not supported";
        } else if (looksLikeText(start)) {
            return "is a text file, not audio; check that you passed the right file";
        } else {
            what = "is not a WAV file (it does not start with a RIFF/WAVE header)";
        }
        return what + "; " + CONVERT;
    }

    private static boolean looksLikeText(byte[] start) {
        for (byte b : start) {
            if ((b < 0x20 || b > 0x7E) && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        return bytes.length >= prefix.length() && ascii(Arrays.copyOf(bytes, prefix.length())).equals(prefix);
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Bytes of the file shown in a message: printable ASCII as it is, anything else as {@code \xNN}. */
    private static String printable(String bytes) {
        StringBuilder shown = new StringBuilder();
        for (char c : bytes.toCharArray()) {
            shown.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02X", (int) c));
        }
        return shown.toString();
    }

    private static long littleEndian(byte[] bytes, int at, int count) {
        long value = 0;
        for (int i = count - 1; i >= 0; i--) {
            value = value << 8 | bytes[at + i] & 0xFF;
        }
        return value;
    }

    /** The checked contents of a 'fmt ' chunk. */
    private record Fmt(SourceEncoding source, int channels, int sampleRate) {

        static Fmt parse(byte[] chunk) throws WavFormatException {
            int tag = (int) littleEndian(chunk, 0, 2);
            int channels = (int) littleEndian(chunk, 2, 2);
            long sampleRate = littleEndian(chunk, 4, 4);
            int blockAlign = (int) littleEndian(chunk, 12, 2);
            int bits = (int) littleEndian(chunk, 14, 2);
            if (tag == TAG_EXTENSIBLE) {
                tag = subFormatTag(chunk);
            }
            SourceEncoding source = SourceEncoding.of(tag, bits);
            if (source == null) {
                throw new WavFormatException("uses " + describeTag(tag, bits) + " audio, which is not supported "
                        + "(supported: " + SourceEncoding.SUPPORTED + "); " + CONVERT);
            }
            if (channels == 0) {
                throw new WavFormatException("declares 0 audio channels; " + DAMAGED);
            }
            if (sampleRate == 0) {
                throw new WavFormatException("declares a sample rate of 0 Hz; " + DAMAGED);
            }
            if (channels > AudioLimits.MAX_CHANNELS) {
                throw new WavFormatException("declares " + channels + " channels, more than the " + AudioLimits.MAX_CHANNELS
                        + " supported; the header is probably damaged, otherwise mix the file down first");
            }
            if (sampleRate < AudioLimits.MIN_SAMPLE_RATE || sampleRate > AudioLimits.MAX_SAMPLE_RATE) {
                throw new WavFormatException("declares a sample rate of " + sampleRate + " Hz, outside the "
                        + AudioLimits.MIN_SAMPLE_RATE + " to " + AudioLimits.MAX_SAMPLE_RATE + " Hz supported; " + DAMAGED);
            }
            if (blockAlign != channels * source.bytesPerSample) {
                throw new WavFormatException("declares " + blockAlign + " bytes per sample frame, but " + channels
                        + " channels × " + bits + " bits take " + channels * source.bytesPerSample + "; " + DAMAGED);
            }
            return new Fmt(source, channels, (int) sampleRate);
        }

        WavFormat toFormat(long declaredDataBytes) {
            return new WavFormat(sampleRate, channels, source.delivered, source.description, declaredDataBytes);
        }

        /** The plain format tag that a WAVE_FORMAT_EXTENSIBLE sub-format GUID stands for. */
        private static int subFormatTag(byte[] chunk) throws WavFormatException {
            if (chunk.length < 40) {
                throw new WavFormatException("has a WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk of only " + chunk.length
                        + " bytes, too short to name its sub-format; " + DAMAGED);
            }
            if (!Arrays.equals(chunk, 26, 40, SUBFORMAT_SUFFIX, 0, SUBFORMAT_SUFFIX.length)) {
                throw new WavFormatException("uses WAVE_FORMAT_EXTENSIBLE with the unknown sub-format "
                        + guid(chunk, 24) + " (supported: " + SourceEncoding.SUPPORTED + "); " + CONVERT);
            }
            return (int) littleEndian(chunk, 24, 2);
        }

        private static String describeTag(int tag, int bits) {
            String name = TAG_NAMES.get(tag);
            String hex = String.format(Locale.ROOT, "0x%04X", tag);
            if (name == null) {
                return "format " + hex;
            }
            boolean depthMatters = tag == TAG_PCM || tag == TAG_IEEE_FLOAT || tag == TAG_ALAW || tag == TAG_MULAW;
            return name + (depthMatters ? " " + bits + "-bit" : "") + " (" + hex + ")";
        }

        private static String guid(byte[] bytes, int at) {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "{%08X-%04X-%04X-",
                    littleEndian(bytes, at, 4), littleEndian(bytes, at + 4, 2), littleEndian(bytes, at + 6, 2)));
            for (int i = 8; i < 16; i++) {
                text.append(String.format(Locale.ROOT, "%02X", bytes[at + i])).append(i == 9 ? "-" : "");
            }
            return text.append('}').toString();
        }
    }

    /** Reads the header, counting bytes so that a file cut short can say where it ends. */
    private static final class HeaderInput {
        private final InputStream in;
        private long position;

        HeaderInput(InputStream in) {
            this.in = in;
        }

        /** Up to {@code count} bytes, fewer only where the stream ends. */
        byte[] readUpTo(int count) throws IOException {
            byte[] bytes = in.readNBytes(count);
            position += bytes.length;
            return bytes;
        }

        byte[] readExactly(int count) throws IOException {
            byte[] bytes = readUpTo(count);
            if (bytes.length < count) {
                throw truncated();
            }
            return bytes;
        }

        /** Reads past {@code count} bytes rather than seeking, which pipes cannot do. */
        void skip(long count) throws IOException {
            byte[] scratch = new byte[(int) Math.min(count, 65536)];
            for (long left = count; left > 0; ) {
                int read = in.readNBytes(scratch, 0, (int) Math.min(left, scratch.length));
                position += read;
                if (read == 0) {
                    throw truncated();
                }
                left -= read;
            }
        }

        WavFormatException truncated() {
            return new WavFormatException("ends inside its header after " + position
                    + " bytes; the file is incomplete, so export or copy it again");
        }
    }
}
