package io.emostream.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SampleDecoderTest {

    @Test
    void scalesLittleEndianPcmByFullScale() {
        byte[] payload = {0x00, (byte) 0x80, (byte) 0xFF, 0x7F, 0x01, 0x00, (byte) 0xFF, (byte) 0xFF, 0x00, 0x00};

        assertThat(SampleDecoder.toFloat(payload, SampleEncoding.PCM_S16LE))
                .containsExactly(-1f, 32767 / 32768f, 1 / 32768f, -1 / 32768f, 0f);
    }

    /** Linear values from audioop.ulaw2lin / alaw2lin (Python 3.11). */
    @Test
    void expandsCompandedCodes() {
        byte[] ulaw = {0x00, 0x7F, (byte) 0x80, (byte) 0xFF};
        byte[] alaw = {0x55, (byte) 0xD5, 0x2A, (byte) 0xAA};

        assertThat(SampleDecoder.toFloat(ulaw, SampleEncoding.MULAW))
                .containsExactly(-32124 / 32768f, 0f, 32124 / 32768f, 0f);
        assertThat(SampleDecoder.toFloat(alaw, SampleEncoding.ALAW))
                .containsExactly(-8 / 32768f, 8 / 32768f, -32256 / 32768f, 32256 / 32768f);
    }

    @Test
    void decodesOnlyTheRequestedSlice() {
        byte[] payload = {0x11, 0x00, 0x40, 0x00, (byte) 0xC0, 0x22};

        assertThat(SampleDecoder.toFloat(payload, 1, 4, SampleEncoding.PCM_S16LE)).containsExactly(0.5f, -0.5f);
    }

    @Test
    void rejectsAPartialSample() {
        assertThatThrownBy(() -> SampleDecoder.toFloat(new byte[3], SampleEncoding.PCM_S16LE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An audio payload of 3 bytes is not a whole number of 2-byte PCM_S16LE samples.");
    }
}
