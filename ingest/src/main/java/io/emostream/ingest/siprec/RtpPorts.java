package io.emostream.ingest.siprec;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out the even ports of the RTP range, one bound UDP socket per stream, round-robin so that a port just
 * released is not reused at once (late packets of the old stream would land in the new one). Thread-safe.
 */
final class RtpPorts {
    private final InetAddress host;
    private final RtpPortRange range;
    private final Set<Integer> used = new HashSet<>();
    private int cursor;

    RtpPorts(InetAddress host, RtpPortRange range) {
        this.host = host;
        this.range = range;
    }

    /** A socket bound to a free even port of the range; throws with one sentence when none is left. */
    synchronized DatagramSocket open() throws IOException {
        int streams = range.streams();
        for (int tried = 0; tried < streams; tried++) {
            int slot = (cursor + tried) % streams;
            int port = range.firstEvenPort() + 2 * slot;
            if (used.contains(port)) {
                continue;
            }
            DatagramSocket socket = new DatagramSocket(null);
            try {
                socket.bind(new InetSocketAddress(host, port));
            } catch (SocketException e) {
                // Another process holds it: try the next one.
                socket.close();
                continue;
            }
            // Room for a burst of packets while the reader waits for Kafka.
            socket.setReceiveBufferSize(256 * 1024);
            used.add(port);
            cursor = slot + 1;
            return socket;
        }
        throw new IOException("every RTP port in " + range + " on " + host.getHostAddress() + " is in use");
    }

    synchronized void release(int port) {
        used.remove(port);
    }
}
