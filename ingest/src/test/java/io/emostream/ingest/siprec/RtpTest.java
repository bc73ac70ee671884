package io.emostream.ingest.siprec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RTP headers (RFC 3550 §5.1), counters that wrap, the reorder buffer and payload decoding. */
class RtpTest {

    @Test
    void theFixedHeaderIsRead() {
        byte[] packet = {(byte) 0x80, (byte) 0x80, (byte) 0xFF, (byte) 0xFE, (byte) 0xFF, 0, 0, 1, 0x12, 0x34, 0x56,
                0x78, 1, 2, 3};

        RtpPacket rtp = RtpPacket.parse(packet, packet.length);

        assertThat(rtp).isEqualTo(new RtpPacket(0, true, 0xFFFE, 0xFF000001L, 0x12345678L, 12, 3));
    }

    @Test
    void csrcEntriesAHeaderExtensionAndPaddingAreSteppedOver() {
        byte[] packet = new byte[12 + 8 + 4 + 4 + 5 + 3];
        packet[0] = (byte) (0x80 | 0x20 | 0x10 | 2);
        packet[1] = 8;
        // Extension header: profile 0xBEDE, one 32-bit word.
        packet[20] = (byte) 0xBE;
        packet[21] = (byte) 0xDE;
        packet[23] = 1;
        for (int i = 0; i < 5; i++) {
            packet[28 + i] = (byte) (0x40 + i);
        }
        packet[packet.length - 1] = 3;

        RtpPacket rtp = RtpPacket.parse(packet, packet.length);

        assertThat(rtp.payloadType()).isEqualTo(8);
        assertThat(rtp.payloadOffset()).isEqualTo(28);
        assertThat(rtp.payloadLength()).isEqualTo(5);
    }

    @Test
    void rtcpOtherVersionsAndShortOrInconsistentPacketsAreNotRtp() {
        byte[] rtcp = new byte[12];
        rtcp[0] = (byte) 0x80;
        rtcp[1] = (byte) 200;
        assertThat(RtpPacket.parse(rtcp, 12)).as("a sender report").isNull();
        byte[] versionOne = new byte[12];
        versionOne[0] = 0x40;
        assertThat(RtpPacket.parse(versionOne, 12)).isNull();
        assertThat(RtpPacket.parse(new byte[]{(byte) 0x80, 0, 0}, 3)).isNull();
        byte[] tooManyCsrcs = new byte[16];
        tooManyCsrcs[0] = (byte) 0x8F;
        assertThat(RtpPacket.parse(tooManyCsrcs, 16)).isNull();
    }

    @Test
    void sequenceNumbersAndTimestampsContinuePastTheirWraparound() {
        Unwrapper sequences = new Unwrapper(16);
        assertThat(List.of(sequences.extend(65534), sequences.extend(65535), sequences.extend(0), sequences.extend(65535),
                sequences.extend(2))).containsExactly(65534L, 65535L, 65536L, 65535L, 65538L);
        Unwrapper timestamps = new Unwrapper(32);
        assertThat(timestamps.extend(0xFFFFFF60L)).isEqualTo(0xFFFFFF60L);
        assertThat(timestamps.extend(0x00000000L)).isEqualTo(0x100000000L);
        assertThat(timestamps.extend(0x000000A0L)).isEqualTo(0x1000000A0L);
    }

    @Test
    void packetsComeOutInOrderAndAGapIsGivenUpWhenTheBufferIsFull() {
        ReorderBuffer<Integer> buffer = new ReorderBuffer<>(3);
        List<Integer> out = new ArrayList<>();

        for (int sequence : new int[]{10, 12, 11, 13, 15, 16, 17, 18, 14, 19}) {
            out.addAll(buffer.add(sequence, sequence));
        }
        out.addAll(buffer.drain());

        // 10 waits for a full buffer (nothing says it is first); 11 fills the gap; 14 comes after its place was passed.
        assertThat(out).containsExactly(10, 11, 12, 13, 15, 16, 17, 18, 19);
        assertThat(buffer.late()).isEqualTo(1);
    }

    @Test
    void aDuplicateLeavesOnce() {
        ReorderBuffer<String> buffer = new ReorderBuffer<>(2);
        List<String> out = new ArrayList<>();
        out.addAll(buffer.add(1, "a"));
        out.addAll(buffer.add(1, "a again"));
        out.addAll(buffer.add(2, "b"));
        out.addAll(buffer.add(3, "c"));
        out.addAll(buffer.add(3, "c again"));
        out.addAll(buffer.drain());

        assertThat(out).containsExactly("a", "b", "c");
    }

    @Test
    void l16IsTurnedLittleEndianAndTheG711CodecsAreCopiedAsTheyAre() {
        byte[] payload = {9, 0x12, 0x34, (byte) 0x80, 0x01, 0x7F};
        byte[] out = new byte[6];

        int written = new RtpFormat(96, RtpFormat.Codec.L16, 16000).decode(payload, 1, 5, out);

        assertThat(written).as("the odd last byte is no sample").isEqualTo(4);
        assertThat(out).startsWith(0x34, 0x12, 0x01, (byte) 0x80);
        assertThat(new RtpFormat(8, RtpFormat.Codec.PCMA, 8000).decode(payload, 1, 5, out)).isEqualTo(5);
        assertThat(out).startsWith(0x12, 0x34, (byte) 0x80, 0x01, 0x7F);
    }
}
