package io.emostream.ingest.siprec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Any datagram is an RTP packet whose header fields are its bytes and whose payload lies inside it, or null; never
 * an exception, and never a look past the datagram's length into the rest of the receive buffer. The unit tests run
 * the seeds and past findings (in {@code src/test/resources/.../RtpPacketFuzzTestInputs}).
 */
class RtpPacketFuzzTest {
    @FuzzTest
    void anyDatagramIsAPacketInsideItOrNull(byte[] datagram) {
        int length = datagram.length;
        // As a DatagramPacket's buffer: the datagram, then whatever an earlier, longer one left there.
        byte[] buffer = Arrays.copyOf(datagram, length + 64);
        Arrays.fill(buffer, length, buffer.length, (byte) 0xA5);
        RtpPacket packet = RtpPacket.parse(buffer, length);
        assertThat(RtpPacket.parse(datagram, length)).as("the same without the rest of the buffer").isEqualTo(packet);
        if (packet == null) {
            boolean plain = length >= 12 && datagram[0] == (byte) 0x80
                    && ((datagram[1] & 0xFF) < 200 || (datagram[1] & 0xFF) > 204);
            assertThat(plain).as("a version 2 packet without CSRCs, extension or padding is RTP").isFalse();
            return;
        }
        assertThat(datagram[0] & 0xC0).isEqualTo(0x80);
        assertThat(packet.payloadType()).isBetween(0, 127);
        assertThat(packet.marker() && packet.payloadType() >= 72 && packet.payloadType() <= 76).as("RTCP").isFalse();
        // The fixed header, written back from the fields, is the datagram's.
        byte[] header = {
            datagram[0], (byte) ((packet.marker() ? 0x80 : 0) | packet.payloadType()),
            (byte) (packet.sequence() >> 8), (byte) packet.sequence(),
            (byte) (packet.timestamp() >> 24), (byte) (packet.timestamp() >> 16), (byte) (packet.timestamp() >> 8),
            (byte) packet.timestamp(),
            (byte) (packet.ssrc() >> 24), (byte) (packet.ssrc() >> 16), (byte) (packet.ssrc() >> 8), (byte) packet.ssrc()};
        assertThat(Arrays.copyOf(datagram, 12)).isEqualTo(header);
        assertThat(packet.sequence()).isBetween(0, 0xFFFF);
        assertThat(packet.timestamp()).isBetween(0L, 0xFFFF_FFFFL);
        assertThat(packet.ssrc()).isBetween(0L, 0xFFFF_FFFFL);
        assertThat(packet.payloadOffset()).isGreaterThanOrEqualTo(12 + 4 * (datagram[0] & 0x0F));
        assertThat(packet.payloadLength()).isNotNegative();
        int padding = (datagram[0] & 0x20) != 0 ? datagram[length - 1] & 0xFF : 0;
        assertThat(packet.payloadOffset() + packet.payloadLength()).isEqualTo(length - padding);
    }
}
