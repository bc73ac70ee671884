package io.emostream.launcher;

import io.emostream.audio.SampleDecoder;
import io.emostream.audio.SampleEncoding;
import io.emostream.audio.wav.WavReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The sample speech benchmarks cut their streams from: a 16 kHz mono WAV file. */
final class SpeechFile {
    private SpeechFile() {
    }

    /** Its samples in [-1, 1]; a missing file or another format is one sentence naming the option. */
    static float[] read16kMono(String option, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            WavReader wav = WavReader.open(in);
            if (wav.format().sampleRate() != 16000 || wav.format().channels() != 1) {
                throw new EmotionCli.UserException(option + " " + file + " must be 16 kHz mono; it is "
                        + wav.format().sampleRate() + " Hz with " + wav.format().channels() + " channels.");
            }
            ByteArrayOutputStream pcm = new ByteArrayOutputStream();
            byte[][] channels;
            while ((channels = wav.readChannels(4096)) != null) {
                pcm.writeBytes(channels[0]);
            }
            return SampleDecoder.toFloat(pcm.toByteArray(), SampleEncoding.valueOf(wav.format().encoding().name()));
        } catch (NoSuchFileException e) {
            throw new EmotionCli.UserException(option + " " + file + " does not exist.", e);
        }
    }
}
