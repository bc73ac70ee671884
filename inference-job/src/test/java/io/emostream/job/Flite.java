package io.emostream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.audio.SampleDecoder;
import io.emostream.audio.wav.WavReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Speech with known words and prosody, rendered by Debian's flite, for the tests that need it. */
public final class Flite {
    private Flite() {
    }

    /** Fails the calling test, naming the package, where flite is not installed; bin/test installs it. */
    public static void require() {
        String path = System.getenv("PATH");
        boolean found = path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, "flite")));
        // Fails rather than skips: a skipped test would hide that the prosody tests never ran.
        assertThat(found).as("these tests need Debian's flite (apt-get install flite); bin/test installs it").isTrue();
    }

    /** The text spoken by one of flite's voices with these settings ("name=value"), as 16 kHz samples. */
    public static float[] speak(Path dir, String voice, String text, String... settings) throws IOException, InterruptedException {
        require();
        Path wav = Files.createTempFile(dir, "flite-", ".wav");
        List<String> command = new ArrayList<>(List.of("flite", "-voice", voice));
        for (String setting : settings) {
            command.add("--setf");
            command.add(setting);
        }
        command.addAll(List.of("-t", text, "-o", wav.toString()));
        Process flite = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(flite.getInputStream().readAllBytes());
        assertThat(flite.waitFor()).as("flite: %s", output).isZero();
        try (InputStream in = Files.newInputStream(wav)) {
            WavReader reader = WavReader.open(in);
            assertThat(reader.format().sampleRate()).isEqualTo(16000);
            ByteArrayOutputStream pcm = new ByteArrayOutputStream();
            byte[][] channels;
            while ((channels = reader.readChannels(4096)) != null) {
                pcm.writeBytes(channels[0]);
            }
            return SampleDecoder.toFloat(pcm.toByteArray(), reader.format().encoding());
        }
    }
}
