package io.emostream.job.asr;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.audio.SampleDecoder;
import io.emostream.audio.SampleEncoding;
import io.emostream.audio.wav.WavReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SphinxRecognizerTest {
    private static final String SENTENCE = "I have been charged twice and I want this fixed now";

    @Test
    void recognisesMostWordsOfAClearlySpokenSentence(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/flite").canExecute(), "needs Debian's flite (apt-get install flite); bin/test installs it");
        Path wav = dir.resolve("s.wav");
        assertThat(new ProcessBuilder("flite", "-voice", "slt", "-t", SENTENCE, "-o", wav.toString()).start().waitFor()).isZero();
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(wav)) {
            WavReader reader = WavReader.open(in);
            byte[][] channels;
            while ((channels = reader.readChannels(4096)) != null) {
                pcm.writeBytes(channels[0]);
            }
        }

        String transcript;
        try (SphinxRecognizer recognizer = SphinxRecognizer.load()) {
            transcript = recognizer.transcribe(SampleDecoder.toFloat(pcm.toByteArray(), SampleEncoding.PCM_S16LE));
        }

        assertThat(wordErrorRate(SENTENCE, transcript)).as("transcript '%s'", transcript).isLessThanOrEqualTo(0.5);
    }

    /** Word-level edit distance over the reference length. */
    static double wordErrorRate(String reference, String hypothesis) {
        List<String> ref = words(reference);
        List<String> hyp = words(hypothesis);
        int[][] d = new int[ref.size() + 1][hyp.size() + 1];
        for (int i = 0; i <= ref.size(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= hyp.size(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= ref.size(); i++) {
            for (int j = 1; j <= hyp.size(); j++) {
                int substitution = d[i - 1][j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                d[i][j] = Math.min(substitution, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
            }
        }
        return (double) d[ref.size()][hyp.size()] / ref.size();
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.toLowerCase(Locale.ROOT).trim().split("\\s+"));
    }
}
