package io.emostream.ingest.audiosocket;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One message of Asterisk's AudioSocket protocol: a kind byte, a 2-byte big-endian payload length, the payload.
 * Kinds as Asterisk defines them in {@code include/asterisk/res_audiosocket.h} ({@code enum ast_audiosocket_msg_kind},
 * asterisk/asterisk master, Aug 2026). The rate kinds 0x11–0x18 came with "res_audiosocket: add message types for
 * all slin sample rates" (Asterisk 20.17, 21.12, 22.7, 23.1). Changes proposed with an earlier draft of it
 * (asterisk/documentation#158, CyCoreSystems/audiosocket#28) call 0x11 slin16; the code Asterisk ships makes 0x11
 * 12 kHz and 0x12 16 kHz.
 */
public sealed interface AudioSocketMessage {
    int KIND_HANGUP = 0x00;
    int KIND_UUID = 0x01;
    int KIND_DTMF = 0x03;
    int KIND_AUDIO_SLIN = 0x10;
    int KIND_ERROR = 0xff;

    /** Signed-linear 16-bit little-endian mono audio, by kind: AST_AUDIOSOCKET_KIND_AUDIO, _SLIN12 … _SLIN192. */
    Map<Integer, Integer> AUDIO_RATES = Map.of(
            KIND_AUDIO_SLIN, 8000, 0x11, 12000, 0x12, 16000, 0x13, 24000, 0x14, 32000,
            0x15, 44100, 0x16, 48000, 0x17, 96000, 0x18, 192000);

    /** The hangup message, the only one a server sends to end a call ("0x00 0x00 0x00" in the protocol page). */
    byte[] HANGUP_BYTES = {KIND_HANGUP, 0, 0};

    /** The peer ends the call (closing the socket is also sufficient). */
    record Hangup() implements AudioSocketMessage {
    }

    /** The call's identifier: the UUID given to AudioSocket() or Dial(AudioSocket/…), sent first. */
    record Id(UUID uuid) implements AudioSocketMessage {
        static Id decode(byte[] payload) {
            ByteBuffer b = ByteBuffer.wrap(payload);
            return new Id(new UUID(b.getLong(), b.getLong()));
        }
    }

    /** A DTMF digit pressed on the channel, as one ASCII character. */
    record Dtmf(char digit) implements AudioSocketMessage {
    }

    /** Samples of signed-linear 16-bit little-endian mono audio at the rate its kind names. */
    record Audio(int kind, int sampleRate, byte[] samples) implements AudioSocketMessage {
    }

    /**
     * Asterisk reports an error on its side; the code is optional. Asterisk's codes are bit-packed: 0x01 the calling
     * party hung up, 0x02 a frame could not be forwarded, 0x04 memory could not be allocated.
     */
    record Error(Integer code) implements AudioSocketMessage {
        public String describe() {
            if (code == null) {
                return "no error code";
            }
            List<String> causes = new ArrayList<>();
            if ((code & 0x01) != 0) {
                causes.add("the calling party hung up");
            }
            if ((code & 0x02) != 0) {
                causes.add("a frame could not be forwarded");
            }
            if ((code & 0x04) != 0) {
                causes.add("memory could not be allocated");
            }
            String number = String.format("code 0x%02x", code);
            return causes.isEmpty() ? number : number + ": " + String.join(", ", causes);
        }
    }
}
