package io.emostream.ingest.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IcyMetadataStreamTest {
    @Test
    void blocksAreTakenOutOfTheAudioAndOnlyChangesAreTold() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        byte[] audio = new byte[30];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) i;
        }
        // interval 10: audio, a title, audio, "nothing new", audio, the same title again, then 5 bytes and the end
        stream.write(audio, 0, 10);
        stream.writeBytes(block("StreamTitle='Don't Stop';StreamUrl='';"));
        stream.write(audio, 10, 10);
        stream.write(0);
        stream.write(audio, 20, 10);
        stream.writeBytes(block("StreamTitle='Don't Stop';StreamUrl='';"));
        stream.write(new byte[5], 0, 5);
        List<Map<String, String>> told = new ArrayList<>();

        byte[] read = new IcyMetadataStream(new ByteArrayInputStream(stream.toByteArray()), 10, told::add).readAllBytes();

        byte[] expected = new byte[35];
        System.arraycopy(audio, 0, expected, 0, 30);
        assertThat(read).containsExactly(expected);
        assertThat(told).containsExactly(Map.of("StreamTitle", "Don't Stop", "StreamUrl", ""));
    }

    @Test
    void latin1TitlesFromOldEncodersAreRead() throws Exception {
        byte[] text = "StreamTitle='Caf\u00e9 Talk';".getBytes(StandardCharsets.ISO_8859_1);
        byte[] block = new byte[1 + 32];
        block[0] = 2;
        System.arraycopy(text, 0, block, 1, text.length);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(new byte[4], 0, 4);
        stream.writeBytes(block);
        List<Map<String, String>> told = new ArrayList<>();

        new IcyMetadataStream(new ByteArrayInputStream(stream.toByteArray()), 4, told::add).readAllBytes();

        assertThat(told).containsExactly(Map.of("StreamTitle", "Caf\u00e9 Talk"));
    }

    @Test
    void aStreamCutInsideABlockIsAnError() {
        byte[] cut = {1, 2, 3, 2, 'S', 't'};
        assertThatThrownBy(() -> new IcyMetadataStream(new ByteArrayInputStream(cut), 3, m -> { }).readAllBytes())
                .isInstanceOf(EOFException.class).hasMessage("the stream ended inside an ICY metadata block");
    }

    private static byte[] block(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int length = (bytes.length + 15) / 16;
        byte[] block = new byte[1 + length * 16];
        block[0] = (byte) length;
        System.arraycopy(bytes, 0, block, 1, bytes.length);
        return block;
    }
}
