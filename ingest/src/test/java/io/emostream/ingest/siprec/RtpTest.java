package io.emostream.ingest.siprec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RTP headers (RFC 3550 §5.1), counters that wrap, re-based sources (RFC 3550 A.1), latching to a sender, the
 * reorder buffer and payload decoding.
 */
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
    void aSequenceJumpIsARestartOnceTheNextPacketFollowsIt() {
        Continuity continuity = new Continuity(8000);
        long ms = 1_000_000;

        assertThat(continuity.check(100, false, 16000, 0)).isEqualTo(Continuity.Verdict.IN_LINE);
        assertThat(continuity.check(101, false, 16160, 20 * ms)).isEqualTo(Continuity.Verdict.IN_LINE);
        // Within MAX_DROPOUT ahead (lost packets) and MAX_MISORDER behind (reordered ones): in line.
        assertThat(continuity.check(101 + 2999, false, 16320, 40 * ms)).isEqualTo(Continuity.Verdict.IN_LINE);
        assertThat(continuity.check(3001, false, 16480, 60 * ms)).isEqualTo(Continuity.Verdict.IN_LINE);
        // A re-based source (same SSRC, sequence numbers 20000 behind): suspect, then confirmed by its successor.
        int rebased = (3100 - 20000) & 0xFFFF;
        assertThat(continuity.check(rebased, true, 5, 80 * ms)).isEqualTo(Continuity.Verdict.SUSPECT);
        assertThat(continuity.check(rebased + 1, false, 165, 100 * ms)).isEqualTo(Continuity.Verdict.RESTART);
        assertThat(continuity.check(rebased + 2, false, 325, 120 * ms)).isEqualTo(Continuity.Verdict.IN_LINE);
        // A single stray packet far away is not followed: the stream stays where it was.
        assertThat(continuity.check(rebased + 10000, false, 0, 140 * ms)).isEqualTo(Continuity.Verdict.SUSPECT);
        assertThat(continuity.check(rebased + 3, false, 485, 140 * ms)).isEqualTo(Continuity.Verdict.IN_LINE);
        assertThat(continuity.check(rebased + 10002, false, 0, 160 * ms)).isEqualTo(Continuity.Verdict.SUSPECT);
    }

    @Test
    void aMarkedPacketWhoseTimestampLeavesTheClockIsARestartAndATalkspurtIsNot() {
        Continuity continuity = new Continuity(8000);
        long ms = 1_000_000;
        continuity.check(7, false, 1000, 0);

        // Silence suppression: 3 s without packets, then a talkspurt 3 s of timestamps later.
        assertThat(continuity.check(8, true, 1000 + 24000, 3000 * ms)).isEqualTo(Continuity.Verdict.IN_LINE);
        // A re-anchored source: the next packet in sequence, but its timestamp starts afresh.
        assertThat(continuity.check(9, true, 0x80000000L, 3020 * ms)).isEqualTo(Continuity.Verdict.RESTART);
        assertThat(continuity.check(10, false, 0x80000000L + 160, 3040 * ms)).isEqualTo(Continuity.Verdict.IN_LINE);
        // Without the marker bit a timestamp jump is a gap (or a repeat), placed by the timestamp.
        assertThat(continuity.check(11, false, 5, 3060 * ms)).isEqualTo(Continuity.Verdict.IN_LINE);
    }

    @Test
    void aStreamLatchesToItsFirstSenderUntilItFallsSilent() {
        SourceLatch latch = new SourceLatch();
        InetSocketAddress first = new InetSocketAddress("192.0.2.1", 4000);
        InetSocketAddress other = new InetSocketAddress("192.0.2.1", 4002);
        long second = 1_000_000_000L;

        assertThat(latch.check(first, 0)).isEqualTo(SourceLatch.Verdict.LATCHED);
        assertThat(latch.check(other, second / 50)).isEqualTo(SourceLatch.Verdict.OTHER);
        assertThat(latch.check(first, second)).isEqualTo(SourceLatch.Verdict.LATCHED);
        assertThat(latch.check(other, 2 * second)).as("the first sender spoke a second ago").isEqualTo(SourceLatch.Verdict.OTHER);
        assertThat(latch.check(other, 3 * second + 1)).as("silent for over 2 s").isEqualTo(SourceLatch.Verdict.SWITCHED);
        assertThat(latch.check(first, 3 * second + 2)).isEqualTo(SourceLatch.Verdict.OTHER);
    }

    @Test
    void afterAReofferTheMediaMayMoveOnceItsSenderStops() {
        SourceLatch latch = new SourceLatch();
        InetSocketAddress before = new InetSocketAddress("192.0.2.1", 4000);
        InetSocketAddress after = new InetSocketAddress("192.0.2.7", 5000);
        long ms = 1_000_000L;
        latch.check(before, 0);

        latch.reopen(10 * ms);

        assertThat(latch.check(after, 20 * ms)).as("the old sender is still live").isEqualTo(SourceLatch.Verdict.OTHER);
        assertThat(latch.check(before, 20 * ms)).isEqualTo(SourceLatch.Verdict.LATCHED);
        assertThat(latch.check(after, 140 * ms)).as("the old sender stopped").isEqualTo(SourceLatch.Verdict.SWITCHED);
        assertThat(latch.check(before, 160 * ms)).isEqualTo(SourceLatch.Verdict.OTHER);
        // Long after the re-offer, it takes the full silence again.
        assertThat(latch.check(after, 3000 * ms)).isEqualTo(SourceLatch.Verdict.LATCHED);
        assertThat(latch.check(before, 3200 * ms)).isEqualTo(SourceLatch.Verdict.OTHER);
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
