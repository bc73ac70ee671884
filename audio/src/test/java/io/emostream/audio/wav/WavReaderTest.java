package io.emostream.audio.wav;

import static io.emostream.audio.wav.WavBytes.ALAW;
import static io.emostream.audio.wav.WavBytes.EXTENSIBLE;
import static io.emostream.audio.wav.WavBytes.IEEE_FLOAT;
import static io.emostream.audio.wav.WavBytes.IMA_ADPCM;
import static io.emostream.audio.wav.WavBytes.MULAW;
import static io.emostream.audio.wav.WavBytes.PCM;
import static io.emostream.audio.wav.WavBytes.doubles;
import static io.emostream.audio.wav.WavBytes.floats;
import static io.emostream.audio.wav.WavBytes.int24s;
import static io.emostream.audio.wav.WavBytes.ints;
import static io.emostream.audio.wav.WavBytes.shorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.audio.SampleEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every file here reaches the reader through {@link WavBytes#pipe}: short reads, no skipping. */
class WavReaderTest {

    @Test
    void delivers16BitPcmUntouched() throws IOException {
        byte[] samples = shorts(0, 1, -1, 32767, -32768, 12345);
        WavReader reader = WavReader.open(WavBytes.riff().fmt(PCM, 1, 16000, 16).data(samples).asPipe());

        assertThat(reader.format()).isEqualTo(
                new WavFormat(16000, 1, SampleEncoding.PCM_S16LE, "PCM 16-bit", samples.length));
        assertThat(readAll(reader)[0]).containsExactly(samples);
        assertThat(reader.framesRead()).isEqualTo(6);
        assertThat(reader.warnings()).isEmpty();
    }

    @Test
    void readsAtMostTheRequestedFramesPerCall() throws IOException {
        WavReader reader = WavReader.open(WavBytes.riff().fmt(PCM, 1, 8000, 16)
                .data(shorts(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)).asPipe());

        assertThat(reader.readChannels(4)[0]).containsExactly(shorts(1, 2, 3, 4));
        assertThat(reader.readChannels(4)[0]).containsExactly(shorts(5, 6, 7, 8));
        assertThat(reader.readChannels(4)[0]).containsExactly(shorts(9, 10));
        assertThat(reader.readChannels(4)).isNull();
        assertThat(reader.readChannels(4)).isNull();
        assertThat(reader.framesRead()).isEqualTo(10);
    }

    @Test
    void splitsStereoIntoChannels() throws IOException {
        WavReader reader = WavReader.open(WavBytes.riff().fmt(PCM, 2, 44100, 16)
                .data(shorts(100, -100, 200, -200, 300, -300)).asPipe());

        byte[][] channels = readAll(reader);

        assertThat(reader.format().bytesPerFrame()).isEqualTo(4);
        assertThat(channels[0]).containsExactly(shorts(100, 200, 300));
        assertThat(channels[1]).containsExactly(shorts(-100, -200, -300));
    }

    @Test
    void splitsSixChannelMulawIntoChannelsUntouched() throws IOException {
        byte[] interleaved = new byte[6 * 4];
        for (int i = 0; i < interleaved.length; i++) {
            interleaved[i] = (byte) (0x80 + i);
        }
        WavReader reader = WavReader.open(WavBytes.riff().fmt(MULAW, 6, 8000, 8).data(interleaved).asPipe());

        byte[][] channels = readAll(reader);

        assertThat(reader.format().encoding()).isEqualTo(SampleEncoding.MULAW);
        assertThat(reader.format().sourceFormat()).isEqualTo("μ-law");
        assertThat(reader.format().bytesPerFrame()).isEqualTo(6);
        assertThat(channels).hasNumberOfRows(6);
        for (int channel = 0; channel < 6; channel++) {
            int first = 0x80 + channel;
            assertThat(channels[channel]).as("channel %d", channel)
                    .containsExactly((byte) first, (byte) (first + 6), (byte) (first + 12), (byte) (first + 18));
        }
    }

    @Test
    void deliversAlawUntouched() throws IOException {
        byte[] codes = {0x55, (byte) 0xD5, 0x2A, (byte) 0xAA, 0x00, (byte) 0xFF};
        WavReader reader = WavReader.open(WavBytes.riff().fmt(ALAW, 1, 8000, 8).data(codes).asPipe());

        assertThat(reader.format().encoding()).isEqualTo(SampleEncoding.ALAW);
        assertThat(reader.format().sourceFormat()).isEqualTo("A-law");
        assertThat(readAll(reader)[0]).containsExactly(codes);
    }

    @Test
    void shifts8BitUnsignedPcmTo16Bits() throws IOException {
        WavReader reader = WavReader.open(WavBytes.riff().fmt(PCM, 1, 8000, 8)
                .data(new byte[] {0x00, (byte) 0x80, (byte) 0xFF, 0x01}).asPipe());

        assertThat(reader.format().sourceFormat()).isEqualTo("PCM 8-bit");
        assertThat(readAll(reader)[0]).containsExactly(shorts(-32768, 0, 32512, -32512));
    }

    @Test
    void keepsTheTop16BitsOf24BitPcm() throws IOException {
        WavReader reader = WavReader.open(WavBytes.riff().fmt(PCM, 1, 48000, 24)
                .data(int24s(0x7FFFFF, 0x800000, 0x0000FF, 0xFFFFFF, 0x123456, 0xFEDCBA)).asPipe());

        assertThat(reader.format().sourceFormat()).isEqualTo("PCM 24-bit");
        assertThat(reader.format().encoding()).isEqualTo(SampleEncoding.PCM_S16LE);
        // No rounding: 0x0000FF stays 0 and -1 (0xFFFFFF) stays -1.
        assertThat(readAll(reader)[0]).containsExactly(shorts(0x7FFF, -0x8000, 0, -1, 0x1234, 0xFEDC));
    }

    @Test
    void keepsTheTop16BitsOf32BitPcm() throws IOException {
        WavReader reader = WavReader.open(WavBytes.riff().fmt(PCM, 1, 48000, 32)
                .data(ints(0x12345678, 0xFFFF0000, 0x80000000, 0x0000FFFF, 0x7FFFFFFF)).asPipe());

        assertThat(reader.format().sourceFormat()).isEqualTo("PCM 32-bit");
        assertThat(readAll(reader)[0]).containsExactly(shorts(0x1234, -1, -0x8000, 0, 0x7FFF));
    }

    @Test
    void scalesClampsAndRounds32BitFloat() throws IOException {
        WavReader reader = WavReader.open(WavBytes.riff().fmt(IEEE_FLOAT, 1, 22050, 32).data(floats(
                0f, 0.5f, -0.5f, 1f, -1f, 2f, -3f, Float.NaN, 0.25f, 1e-5f, 0x1p-15f, -0x1p-15f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)).asPipe());

        assertThat(reader.format().sourceFormat()).isEqualTo("IEEE float 32-bit");
        // -0.5 * 32767 = -16383.5 rounds away from zero, to -16384.
        assertThat(readAll(reader)[0]).containsExactly(shorts(
                0, 16384, -16384, 32767, -32767, 32767, -32767, 0, 8192, 0, 1, -1, 32767, -32767));
    }

    @Test
    void scalesClampsAndRounds64BitFloat() throws IOException {
        WavReader reader = WavReader.open(WavBytes.riff().fmt(IEEE_FLOAT, 1, 22050, 64).data(doubles(
                0.5, -0.5, 1.5, -1.5, Double.NaN, 2.5 / 32767, -2.5 / 32767, 0.999999)).asPipe());

        assertThat(reader.format().sourceFormat()).isEqualTo("IEEE float 64-bit");
        // 2.5 / 32767 scales back to exactly 2.5, which rounds to 3: neither half-even (2) nor half-up (-2 for -2.5).
        assertThat(readAll(reader)[0]).containsExactly(shorts(16384, -16384, 32767, -32767, 0, 3, -3, 32767));
    }

    @Test
    void readsExtensibleFormatsBySubFormat() throws IOException {
        WavReader pcm = WavReader.open(WavBytes.riff().extensibleFmt(PCM, 2, 48000, 24)
                .data(int24s(0x123456, 0xFEDCBA)).asPipe());
        WavReader ieee = WavReader.open(WavBytes.riff().extensibleFmt(IEEE_FLOAT, 1, 48000, 32)
                .data(floats(0.5f)).asPipe());

        assertThat(pcm.format()).isEqualTo(new WavFormat(48000, 2, SampleEncoding.PCM_S16LE, "PCM 24-bit", 6));
        byte[][] channels = readAll(pcm);
        assertThat(channels[0]).containsExactly(shorts(0x1234));
        assertThat(channels[1]).containsExactly(shorts(0xFEDC));
        assertThat(ieee.format().sourceFormat()).isEqualTo("IEEE float 32-bit");
        assertThat(readAll(ieee)[0]).containsExactly(shorts(16384));
    }

    @Test
    void skipsOtherChunksAndTheirPadBytes() throws IOException {
        byte[] samples = shorts(7, -7, 70);
        byte[] cbSizeExtension = {0x02, 0x00, 0x11, 0x22};
        WavReader reader = WavReader.open(WavBytes.riff()
                .chunk("JUNK", new byte[3])
                .fmt(PCM, 1, 16000, 2, 16, cbSizeExtension)
                .chunk("LIST", "INFOISFT\u0005\0\0\0sox!!".getBytes(StandardCharsets.ISO_8859_1))
                .chunk("fact", new byte[] {3, 0, 0, 0})
                .chunk("bext", new byte[1])
                .data(samples)
                .chunk("LIST", new byte[8])
                .asPipe());

        assertThat(readAll(reader)[0]).containsExactly(samples);
        assertThat(reader.warnings()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {0xFFFFFFFFL, 0x7FFFF000L, 0x7FFF0000L, 0})
    void readsToTheEndWhenTheDataSizeIsAPipePlaceholder(long placeholder) throws IOException {
        byte[] samples = shorts(1, 2, 3, 4, 5);
        WavReader reader = WavReader.open(WavBytes.riff(placeholder == 0 ? 0 : 0x7FFFF024L)
                .fmt(PCM, 1, 22050, 16).dataHeader(placeholder).raw(samples).asPipe());

        assertThat(reader.format().declaredDataBytes()).isEqualTo(-1);
        assertThat(readAll(reader)[0]).containsExactly(samples);
        assertThat(reader.warnings()).isEmpty();
    }

    @Test
    void readsOnlyTheDeclaredData() throws IOException {
        WavReader reader = WavReader.open(WavBytes.riff().fmt(PCM, 1, 8000, 16)
                .dataHeader(4).raw(shorts(1, 2, 3, 4)).asPipe());

        assertThat(readAll(reader)[0]).containsExactly(shorts(1, 2));
        assertThat(reader.warnings()).isEmpty();
    }

    @Test
    void keepsTheAudioThatIsThereWhenTheDataIsCutShort() throws IOException {
        int[] values = new int[6000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i - 3000;
        }
        WavReader reader = WavReader.open(WavBytes.riff().fmt(PCM, 1, 8000, 16)
                .dataHeader(16000).raw(shorts(values)).asPipe());

        byte[][] channels = readAll(reader);

        assertThat(channels[0]).containsExactly(shorts(values));
        assertThat(reader.framesRead()).isEqualTo(6000);
        assertThat(reader.warnings()).containsExactly(
                "audio data ends after 12000 of the 16000 bytes its header declares; using the 0.75 s that are there");
    }

    @Test
    void dropsATrailingPartialFrame() throws IOException {
        WavReader reader = WavReader.open(WavBytes.riff().fmt(PCM, 2, 8000, 16)
                .dataHeader(0xFFFFFFFFL).raw(shorts(1, -1, 2, -2)).raw(0x33).asPipe());

        byte[][] channels = readAll(reader);

        assertThat(channels[0]).containsExactly(shorts(1, 2));
        assertThat(channels[1]).containsExactly(shorts(-1, -2));
        assertThat(reader.warnings()).containsExactly(
                "audio data ends in the middle of a sample frame (1 of 4 bytes); that incomplete frame was dropped");
    }

    @Test
    void givesDurationsInSeconds() {
        WavFormat format = new WavFormat(8000, 1, SampleEncoding.PCM_S16LE, "PCM 16-bit", -1);

        assertThat(format.secondsFor(6000)).isEqualTo(0.75);
    }

    @Test
    void refusesToReadNoFrames() throws IOException {
        WavReader reader = WavReader.open(WavBytes.riff().fmt(PCM, 1, 8000, 16).data(shorts(1)).asPipe());

        assertThatThrownBy(() -> reader.readChannels(0)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> rejectedFiles() {
        byte[] pcmFmt = WavBytes.riff().fmt(PCM, 1, 16000, 16).toByteArray();
        return Stream.of(
                rejected("empty", new byte[0], "is empty (0 bytes)"),
                rejected("MP3 with ID3 tag", bytes("ID3\u0004\0\0\0\0\0\u0021garbage"), "is an MP3 file", "convert"),
                rejected("MP3 frame", new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64},
                        "MPEG audio", "convert"),
                rejected("Ogg", bytes("OggS\0\u0002\0\0\0\0\0\0\0\0"), "Ogg", "convert"),
                rejected("FLAC", bytes("fLaC\0\0\0\u0010"), "FLAC", "convert"),
                rejected("text", bytes("hello, this is not audio\n"), "is a text file"),
                rejected("binary", new byte[] {0x00, 0x01, (byte) 0x9C, 0x42, 0x17}, "not a WAV file", "convert"),
                rejected("AVI", bytes("RIFF\u0004\0\0\0AVI "),
                        "is a RIFF file of type 'AVI ', not WAVE audio", "convert"),
                // Found by WavReaderFuzzTest: the type's bytes went into the message raw, a line break among them.
                rejected("RIFF of unprintable type", bytes("RIFF\u0004\0\0\0 \n\u0001\u00ff"),
                        "is a RIFF file of type ' \\x0A\\x01\\xFF', not WAVE audio"),
                rejected("start of RIFF", bytes("RI"), "ends inside its header after 2 bytes"),
                rejected("RIFF without form", bytes("RIFF\u0024\0\0\0WA"), "ends inside its header after 10 bytes"),
                rejected("fmt cut short", prefix(pcmFmt, 30), "ends inside its header after 30 bytes"),
                rejected("empty data chunk", WavBytes.riff().fmt(PCM, 1, 16000, 16).dataHeader(0).toByteArray(),
                        "has no audio data"),
                rejected("skipped chunk cut short", WavBytes.riff().ascii("LIST").le(100, 4).raw(new byte[40])
                        .toByteArray(), "ends inside its header after 60 bytes"),
                rejected("no chunks", WavBytes.riff().toByteArray(), "no 'fmt ' chunk"),
                rejected("data before fmt", WavBytes.riff().data(shorts(1)).fmt(PCM, 1, 16000, 16).toByteArray(),
                        "no 'fmt ' chunk before its audio data"),
                rejected("fmt without data", pcmFmt, "no 'data' chunk"),
                rejected("short fmt", WavBytes.riff().chunk("fmt ", new byte[14]).toByteArray(),
                        "'fmt ' chunk of 14 bytes"),
                rejected("IMA ADPCM", WavBytes.riff().fmt(IMA_ADPCM, 1, 8000, 256, 4, new byte[] {2, 0, 0x1, 0x2})
                        .data(new byte[256]).toByteArray(), "IMA ADPCM (0x0011)", "supported: PCM", "convert"),
                rejected("unknown tag", WavBytes.riff().fmt(0x1234, 1, 8000, 16).toByteArray(), "format 0x1234"),
                rejected("12-bit PCM", WavBytes.riff().fmt(PCM, 1, 8000, 2, 12, new byte[0]).toByteArray(),
                        "PCM 12-bit (0x0001)"),
                rejected("16-bit μ-law", WavBytes.riff().fmt(MULAW, 1, 8000, 16).toByteArray(), "μ-law 16-bit"),
                rejected("extensible ADPCM", WavBytes.riff().extensibleFmt(IMA_ADPCM, 1, 8000, 4).toByteArray(),
                        "IMA ADPCM (0x0011)"),
                rejected("extensible unknown GUID", extensibleWithGuidByte(32, 0x77),
                        "WAVE_FORMAT_EXTENSIBLE", "{00000001-0000-0010-7700-00AA00389B71}"),
                rejected("short extensible", WavBytes.riff().fmt(EXTENSIBLE, 1, 8000, 2, 16, new byte[] {0, 0})
                        .toByteArray(), "WAVE_FORMAT_EXTENSIBLE", "18 bytes"),
                rejected("zero channels", WavBytes.riff().fmt(PCM, 0, 8000, 16).toByteArray(), "0 audio channels"),
                rejected("zero rate", WavBytes.riff().fmt(PCM, 1, 0, 16).toByteArray(), "sample rate of 0 Hz"),
                rejected("40 channels", WavBytes.riff().fmt(PCM, 40, 8000, 16).toByteArray(), "40 channels"),
                rejected("500 Hz", WavBytes.riff().fmt(PCM, 1, 500, 16).toByteArray(), "500 Hz", "1000 to 384000"),
                rejected("400 kHz", WavBytes.riff().fmt(PCM, 1, 400000, 16).toByteArray(), "400000 Hz"),
                rejected("block align", WavBytes.riff().fmt(PCM, 2, 8000, 3, 16, new byte[0]).toByteArray(),
                        "declares 3 bytes per sample frame, but 2 channels × 16 bits take 4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedFiles")
    void rejectsWhatItCannotReadWithOneClearSentence(String what, byte[] file, String[] keyWords) {
        assertThatThrownBy(() -> WavReader.open(WavBytes.pipe(file)))
                .isInstanceOf(WavFormatException.class)
                .hasMessageContainingAll(keyWords)
                .message().doesNotContain("\n", "Exception");
    }

    private static Arguments rejected(String what, byte[] file, String... keyWords) {
        return Arguments.of(what, file, keyWords);
    }

    private static byte[][] readAll(WavReader reader) throws IOException {
        ByteArrayOutputStream[] channels = null;
        for (byte[][] block; (block = reader.readChannels(3)) != null; ) {
            if (channels == null) {
                channels = new ByteArrayOutputStream[block.length];
                for (int i = 0; i < block.length; i++) {
                    channels[i] = new ByteArrayOutputStream();
                }
            }
            for (int i = 0; i < block.length; i++) {
                assertThat(block[i]).hasSameSizeAs(block[0]);
                channels[i].writeBytes(block[i]);
            }
        }
        return Stream.of(channels).map(ByteArrayOutputStream::toByteArray).toArray(byte[][]::new);
    }

    private static byte[] extensibleWithGuidByte(int offsetInFmt, int value) {
        byte[] file = WavBytes.riff().extensibleFmt(PCM, 1, 8000, 16).toByteArray();
        file[12 + 8 + offsetInFmt] = (byte) value;
        return file;
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] prefix(byte[] bytes, int length) {
        return Arrays.copyOf(bytes, length);
    }
}
