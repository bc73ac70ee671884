package io.emostream.ingest.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live radio station for tests, as Icecast runs one: an MP3 file played in a loop without end, at its own bit
 * rate (real time), to every listener, with an ICY metadata block every {@code metaint} bytes whose title changes
 * every few blocks. It can answer as Icecast over HTTP/1.1 with a chunked body, or as Shoutcast with
 * {@code ICY 200 OK}. {@link #kill()} drops every listener and stops listening, as a crashed server would;
 * {@link #restart()} listens again on the same port.
 */
final class IcyServer implements AutoCloseable {
    enum Style { ICECAST_CHUNKED, SHOUTCAST }

    private final byte[] mp3;
    private final int bytesPerSecond;
    private final int metaint;
    private final Style style;
    private final int port;
    private final List<Socket> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile ServerSocket server;

    /**
     * @param bitRate the MP3's bits per second: the pace it is sent at
     * @param metaint audio bytes between metadata blocks (0: none, and no {@code icy-metaint} header)
     */
    IcyServer(Path mp3File, int bitRate, int metaint, Style style) throws IOException {
        this.mp3 = withoutId3(Files.readAllBytes(mp3File));
        this.bytesPerSecond = bitRate / 8;
        this.metaint = metaint;
        this.style = style;
        ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = first.getLocalPort();
        listen(first);
    }

    String url() {
        return "http://127.0.0.1:" + port + "/live.mp3";
    }

    /** Listeners that connected so far. */
    int connections() {
        return connections.get();
    }

    /** Drops every listener and stops listening. */
    void kill() throws IOException {
        server.close();
        for (Socket socket : listeners) {
            socket.close();
        }
    }

    void restart() throws IOException {
        ServerSocket again = new ServerSocket();
        again.setReuseAddress(true);
        again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listen(again);
    }

    @Override
    public void close() throws IOException {
        kill();
    }

    private void listen(ServerSocket socket) {
        server = socket;
        Thread accept = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket listener = socket.accept();
                    listeners.add(listener);
                    connections.incrementAndGet();
                    Thread play = new Thread(() -> play(listener), "icy-listener");
                    play.setDaemon(true);
                    play.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "icy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private void play(Socket listener) {
        try (listener) {
            InputStream in = listener.getInputStream();
            StringBuilder request = new StringBuilder();
            while (!request.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                request.append((char) b);
            }
            boolean wantsMetadata = request.toString().toLowerCase().contains("icy-metadata: 1") && metaint > 0;
            OutputStream out = listener.getOutputStream();
            String head = (style == Style.SHOUTCAST ? "ICY 200 OK\r\n" : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n")
                    + "Content-Type: audio/mpeg\r\nicy-name: Test Radio\r\nicy-genre: Talk\r\nicy-br: " + bytesPerSecond * 8 / 1000 + "\r\n"
                    + (wantsMetadata ? "icy-metaint: " + metaint + "\r\n" : "") + "\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            stream(out, wantsMetadata);
        } catch (IOException e) {
            // the listener left, or the server was killed
        }
    }

    /** Sends the loop a tenth of a second at a time, at the bit rate, metadata blocks in between. */
    private void stream(OutputStream out, boolean withMetadata) throws IOException {
        int slice = bytesPerSecond / 10;
        long start = System.nanoTime();
        long sent = 0;
        int position = 0;
        int untilMetadata = metaint;
        int blocks = 0;
        while (true) {
            ByteArrayOutputStream piece = new ByteArrayOutputStream();
            for (int i = 0; i < slice; i++) {
                if (withMetadata && untilMetadata == 0) {
                    piece.writeBytes(metadataBlock("Segment " + blocks / 4));
                    blocks++;
                    untilMetadata = metaint;
                }
                piece.write(mp3[position]);
                position = (position + 1) % mp3.length;
                untilMetadata--;
            }
            write(out, piece.toByteArray());
            sent += slice;
            long due = start + sent * 1_000_000_000L / bytesPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void write(OutputStream out, byte[] bytes) throws IOException {
        if (style == Style.ICECAST_CHUNKED) {
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.write(bytes);
        }
        out.flush();
    }

    /** Sends the same title in each block for a while: a listener reports only changes. */
    private static byte[] metadataBlock(String title) {
        byte[] text = ("StreamTitle='" + title + "';StreamUrl='';").getBytes(StandardCharsets.UTF_8);
        int length = (text.length + 15) / 16;
        byte[] block = new byte[1 + length * 16];
        block[0] = (byte) length;
        System.arraycopy(text, 0, block, 1, text.length);
        return block;
    }

    /** An ID3v2 tag is the file's, not the stream's: a looped file would repeat it every round. */
    private static byte[] withoutId3(byte[] file) {
        if (file.length > 10 && file[0] == 'I' && file[1] == 'D' && file[2] == '3') {
            int size = (file[6] & 0x7f) << 21 | (file[7] & 0x7f) << 14 | (file[8] & 0x7f) << 7 | file[9] & 0x7f;
            return Arrays.copyOfRange(file, 10 + size, file.length);
        }
        return file;
    }
}
