package io.emostream.ingest.audiosocket;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The Asterisk side of an AudioSocket connection, written from the protocol description (kind byte, 2-byte
 * big-endian length, payload), as Asterisk's res_audiosocket sends it: the UUID first, then 20 ms audio messages.
 */
final class AudioSocketClient implements AutoCloseable {
    private final Socket socket;
    private final DataOutputStream out;

    AudioSocketClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        out = new DataOutputStream(socket.getOutputStream());
    }

    AudioSocketClient send(int kind, byte[] payload) throws IOException {
        out.writeByte(kind);
        out.writeShort(payload.length);
        out.write(payload);
        out.flush();
        return this;
    }

    AudioSocketClient uuid(UUID uuid) throws IOException {
        return send(0x01, ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array());
    }

    /** Sends s16le mono samples as messages of 20 ms each (the last may be shorter). */
    AudioSocketClient audio(int kind, int sampleRate, byte[] samples) throws IOException {
        int frameBytes = sampleRate / 50 * 2;
        for (int offset = 0; offset < samples.length; offset += frameBytes) {
            byte[] frame = new byte[Math.min(frameBytes, samples.length - offset)];
            System.arraycopy(samples, offset, frame, 0, frame.length);
            send(kind, frame);
        }
        return this;
    }

    AudioSocketClient hangup() throws IOException {
        return send(0x00, new byte[0]);
    }

    /** Sends raw bytes, e.g. a message cut short. */
    AudioSocketClient raw(int... bytes) throws IOException {
        for (int b : bytes) {
            out.write(b);
        }
        out.flush();
        return this;
    }

    /** Everything the server sends until it closes the connection. */
    byte[] readUntilClosed() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[256];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // A reset after the server's last bytes: what arrived before it is the answer.
        }
        return received.toByteArray();
    }

    /** Drops the connection with a TCP reset, as a crashed peer or a broken network path does. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
