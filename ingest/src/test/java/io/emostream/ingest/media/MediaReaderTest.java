package io.emostream.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.WavFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real FFmpeg (the JavaCPP LGPL build) on files Debian's ffmpeg encoded from our WAV fixtures
 * (fixtures/media/make-media-fixtures.sh). Lossy codecs are compared with the source by SNR after aligning for the
 * encoder's delay; lengths must match within one codec frame.
 */
class MediaReaderTest {
    private static final Path MEDIA = Path.of(System.getProperty("emostream.media.fixtures"));
    private static final Path WAVS = MEDIA.resolveSibling("audio");
    private static final Path PODCAST_WAV = WAVS.resolve("podcast-mono-16k.wav");

    @TempDir
    Path tmp;

    /** What one whole track decoded to. */
    private record Decoded(MediaReader.MediaFormat format, short[][] channels, long framesSkipped, List<String> warnings) {
        int frames() {
            return channels[0].length;
        }
    }

    private static Decoded decode(Path file, int track) throws IOException, MediaException {
        try (MediaReader reader = MediaReader.open(file, track)) {
            int channels = reader.format().channels();
            ByteArrayOutputStream[] bytes = new ByteArrayOutputStream[channels];
            for (int c = 0; c < channels; c++) {
                bytes[c] = new ByteArrayOutputStream();
            }
            for (byte[][] chunk = reader.readChannels(1600); chunk != null; chunk = reader.readChannels(1600)) {
                for (int c = 0; c < channels; c++) {
                    bytes[c].write(chunk[c]);
                }
            }
            short[][] samples = new short[channels][];
            for (int c = 0; c < channels; c++) {
                samples[c] = shorts(bytes[c].toByteArray());
            }
            return new Decoded(reader.format(), samples, reader.framesSkipped(), reader.warnings());
        }
    }

    private static short[] shorts(byte[] bytes) {
        short[] out = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        return out;
    }

    /** Signal-to-noise ratio in dB of {@code decoded} against {@code source}, at the lag (encoder delay) that fits best. */
    private static double snrDb(short[] source, short[] decoded) {
        double best = Double.NEGATIVE_INFINITY;
        for (int lag = -2000; lag <= 2000; lag++) {
            double signal = 0;
            double noise = 0;
            for (int i = 0; i < source.length; i++) {
                int j = i + lag;
                double d = j >= 0 && j < decoded.length ? decoded[j] : 0;
                signal += (double) source[i] * source[i];
                noise += (source[i] - d) * (source[i] - d);
            }
            best = Math.max(best, 10 * Math.log10(signal / noise));
        }
        return best;
    }

    /** Every {@code factor}-th sample: the Opus decoder always gives 48 kHz, and this speech has nothing above 8 kHz. */
    private static short[] decimate(short[] samples, int factor) {
        short[] out = new short[samples.length / factor];
        for (int i = 0; i < out.length; i++) {
            out[i] = samples[i * factor];
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // file, codec, rate, allowed length difference in samples (one codec frame at the decoded rate), least SNR in
            // dB. Matroska keeps no MP3 gapless info, so the encoder's priming and padding stay: two frames there.
            "podcast-mono-16k.mp3,   mp3,    16000,  576, 15",
            "podcast-mono-16k.m4a,   aac,    16000, 1024, 15",
            "podcast-mono-16k.ogg,   vorbis, 16000, 1024, 15",
            "podcast-mono-16k.opus,  opus,   48000,  960, 15",
            "podcast-video.mp4,      aac,    16000, 1024, 15",
            "podcast-video.mov,      aac,    16000, 1024, 15",
            "podcast-video.webm,     opus,   48000,  960, 15",
            "meeting-two-tracks.mkv, mp3,    16000, 1152, 15",
    })
    void eachCodecDecodesToTheSpeechItWasEncodedFrom(String file, String codec, int rate, int codecFrame, double leastSnrDb)
            throws Exception {
        Decoded decoded = decode(MEDIA.resolve(file), 0);
        short[] source = shorts(WavFiles.channelBytes(PODCAST_WAV, 0));

        assertThat(decoded.format()).usingRecursiveComparison().ignoringFields("declaredSeconds")
                .isEqualTo(new MediaReader.MediaFormat(codec, rate, 1, 0, 0));
        if (!file.startsWith("podcast-video") && !file.endsWith(".mkv")) {
            // An audio file declares its length (for progress bars); the speech is 4.36 s, give or take a codec frame.
            assertThat(decoded.format().declaredSeconds()).as(file).isCloseTo(4.36, org.assertj.core.data.Offset.offset(0.1));
        }
        assertThat(decoded.framesSkipped()).isZero();
        assertThat(decoded.warnings()).isEmpty();
        assertThat((double) decoded.frames()).as("samples at %d Hz", rate)
                .isCloseTo(source.length * (rate / 16000.0), org.assertj.core.data.Offset.offset((double) codecFrame));
        short[] at16k = decimate(decoded.channels()[0], rate / 16000);
        double snr = snrDb(source, at16k);
        System.out.printf("%s: %s %d Hz, %d samples (source %d), SNR %.1f dB%n", file, codec, rate, decoded.frames(),
                Math.round(source.length * (rate / 16000.0)), snr);
        assertThat(snr).as("SNR of %s in dB", file).isGreaterThan(leastSnrDb);
    }

    @Test
    void flacIsLossless() throws Exception {
        Decoded decoded = decode(MEDIA.resolve("podcast-mono-16k.flac"), 0);

        assertThat(decoded.format()).usingRecursiveComparison().ignoringFields("declaredSeconds").isEqualTo(new MediaReader.MediaFormat("flac", 16000, 1, 0, 0));
        assertThat(decoded.channels()[0]).containsExactly(shorts(WavFiles.channelBytes(PODCAST_WAV, 0)));
    }

    @Test
    void stereoKeepsOneArrayPerChannel() throws Exception {
        Decoded decoded = decode(MEDIA.resolve("speech-44k1-stereo.mp3"), 0);
        Path wav = WAVS.resolve("speech-44k1-stereo-s16.wav");

        assertThat(decoded.format()).usingRecursiveComparison().ignoringFields("declaredSeconds").isEqualTo(new MediaReader.MediaFormat("mp3", 44100, 2, 0, 0));
        assertThat(snrDb(shorts(WavFiles.channelBytes(wav, 0)), decoded.channels()[0])).isGreaterThan(10);
        assertThat(snrDb(shorts(WavFiles.channelBytes(wav, 1)), decoded.channels()[1])).isGreaterThan(10);
    }

    @Test
    void anotherAudioTrackIsPickedByNumber() throws Exception {
        Decoded call = decode(MEDIA.resolve("meeting-two-tracks.mkv"), 1);

        assertThat(call.format()).usingRecursiveComparison().ignoringFields("declaredSeconds").isEqualTo(new MediaReader.MediaFormat("mp3", 8000, 2, 1, 0));
        // MP3 in Matroska: priming and padding stay (see above), within two frames.
        assertThat((double) call.frames()).isCloseTo(38779, org.assertj.core.data.Offset.offset(1152.0));
        assertThatThrownBy(() -> decode(MEDIA.resolve("meeting-two-tracks.mkv"), 2))
                .isInstanceOf(MediaException.class)
                .hasMessage("has 2 audio tracks, so there is no track 2 (--audio-track counts from 0)");
    }

    @Test
    void corruptFramesInTheMiddleAreSkippedCountedAndTheRestDecoded() throws Exception {
        byte[] mp3 = Files.readAllBytes(MEDIA.resolve("podcast-mono-16k.mp3"));
        for (int i = mp3.length / 2; i < mp3.length / 2 + 1024; i++) {
            mp3[i] ^= (byte) 0xFF;
        }
        Path corrupt = Files.write(tmp.resolve("corrupt.mp3"), mp3);

        Decoded decoded = decode(corrupt, 0);

        assertThat(decoded.framesSkipped()).isPositive();
        assertThat(decoded.warnings()).first().asString().contains(" corrupt mp3 frame").contains(" skipped");
        // 1 KB at 32 kbit/s is about 0.26 s: the rest is there.
        assertThat(decoded.frames() / 16000.0).isBetween(4.36 - 0.4, 4.37);
    }

    @ParameterizedTest
    @CsvSource({"podcast-mono-16k.mp3", "podcast-mono-16k.flac", "podcast-mono-16k.m4a"})
    void aTruncatedFileIsDecodedToTheCutAndSaysSo(String file) throws Exception {
        byte[] whole = Files.readAllBytes(MEDIA.resolve(file));
        Path cut = Files.write(tmp.resolve("cut-" + file), java.util.Arrays.copyOf(whole, whole.length * 6 / 10));

        Decoded decoded = decode(cut, 0);

        assertThat(decoded.frames() / 16000.0).isBetween(4.36 * 0.5, 4.36 * 0.7);
        assertThat(decoded.warnings()).anySatisfy(w -> assertThat(w).startsWith("the file is cut short: it declares 4.36 s"));
    }

    @Test
    void aTextFileNamedMp3GetsOneSentence() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.mp3"), "These are my meeting notes, not a recording.\n".repeat(20));

        assertThatThrownBy(() -> decode(text, 0)).isInstanceOf(MediaException.class)
                .hasMessageStartingWith("FFmpeg cannot open it as audio or video (").hasMessageNotContaining("\n");
    }

    @Test
    void aVideoWithoutSoundSaysSo() {
        assertThatThrownBy(() -> decode(MEDIA.resolve("video-no-audio.mp4"), 0)).isInstanceOf(MediaException.class)
                .hasMessage("is a video without sound: it has no audio track");
    }

    @Test
    void aDecoderThatDiesMidFileEndsThatFileOnlyWithOneSentence() throws Exception {
        try (MediaReader reader = MediaReader.open(MEDIA.resolve("podcast-mono-16k.flac"), 0)) {
            assertThat(reader.readChannels(160)).isNotNull();
            reader.decoder().destroyForcibly();
            reader.decoder().onExit().get();

            assertThatThrownBy(() -> {
                while (reader.readChannels(1600) != null) {
                    // read to the point where the dead decoder's output stops
                }
            }).isInstanceOf(IOException.class)
                    .hasMessage("the media decoder (FFmpeg, in a process of its own) stopped with exit status 137"
                            + " (signal 9) while reading it; this is a bug in emostream or FFmpeg: please report it with the file");
        }
        // This JVM goes on: the next file decodes.
        assertThat(decode(MEDIA.resolve("podcast-mono-16k.flac"), 0).frames()).isEqualTo(69732);
    }

    @Test
    void aDecoderThatCannotStartIsOneSentenceToo() {
        assertThatThrownBy(() -> MediaReader.open(MEDIA.resolve("podcast-mono-16k.mp3"), 0, List.of("-Xmx1k")))
                .isInstanceOf(MediaException.class)
                .hasMessageStartingWith("the media decoder (FFmpeg, in a process of its own) stopped with exit status 1 ");
    }
}
