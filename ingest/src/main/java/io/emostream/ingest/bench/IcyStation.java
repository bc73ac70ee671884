package io.emostream.ingest.bench;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live radio station for tests and benchmarks, as Icecast runs one: an MP3 file played in a loop without end, at
 * its own bit rate (real time), to every listener from the file's start, with an ICY metadata block every
 * {@code metaint} bytes whose title changes every few blocks. It can answer as Icecast over HTTP/1.1 with a chunked
 * body, or as Shoutcast with {@code ICY 200 OK}. Any path is the stream; {@link #startedMs} tells when the stream to
 * a path began, so a listener's lag can be measured. {@link #kill()} drops every listener and stops listening, as a
 * crashed server would; {@link #restart()} listens again on the same port.
 */
public final class IcyStation implements AutoCloseable {
    public enum Style { ICECAST_CHUNKED, SHOUTCAST }

    /** Layer III bit rates in kbit/s by the header's index: MPEG-1, then MPEG-2 and 2.5. */
    private static final int[] MPEG1_KBPS = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    private static final int[] MPEG2_KBPS = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};

    private final byte[] mp3;
    private final int bytesPerSecond;
    private final int metaint;
    private final Style style;
    private final int port;
    private final List<Socket> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, Long> startedMs = new ConcurrentHashMap<>();
    private volatile ServerSocket server;

    /**
     * @param bitRate the MP3's bits per second: the pace it is sent at
     * @param metaint audio bytes between metadata blocks (0: none, and no {@code icy-metaint} header)
     */
    public IcyStation(Path mp3File, int bitRate, int metaint, Style style) throws IOException {
        this.mp3 = withoutId3(Files.readAllBytes(mp3File));
        this.bytesPerSecond = bitRate / 8;
        this.metaint = metaint;
        this.style = style;
        ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = first.getLocalPort();
        listen(first);
    }

    /**
     * A station playing a constant-bit-rate MP3 at the bit rate its first frame declares.
     *
     * @throws IOException when the file is not an MP3 (MPEG audio layer III)
     */
    public static IcyStation playing(Path mp3File, int metaint) throws IOException {
        return new IcyStation(mp3File, bitRate(mp3File), metaint, Style.ICECAST_CHUNKED);
    }

    public String url() {
        return url("/live.mp3");
    }

    /** The stream's address under another path: each path's start is timed on its own ({@link #startedMs}). */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** When the stream to {@code path} began (the latest connection to it), in epoch milliseconds; null if never. */
    public Long startedMs(String path) {
        return startedMs.get(path);
    }

    /** Listeners that connected so far. */
    public int connections() {
        return connections.get();
    }

    /** Drops every listener and stops listening. */
    public void kill() throws IOException {
        server.close();
        for (Socket socket : listeners) {
            socket.close();
        }
    }

    public void restart() throws IOException {
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
            String[] requestLine = request.toString().split(" ", 3);
            boolean wantsMetadata = request.toString().toLowerCase().contains("icy-metadata: 1") && metaint > 0;
            OutputStream out = listener.getOutputStream();
            String head = (style == Style.SHOUTCAST ? "ICY 200 OK\r\n" : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n")
                    + "Content-Type: audio/mpeg\r\nicy-name: Test Radio\r\nicy-genre: Talk\r\nicy-br: " + bytesPerSecond * 8 / 1000 + "\r\n"
                    + (wantsMetadata ? "icy-metaint: " + metaint + "\r\n" : "") + "\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            startedMs.put(requestLine.length > 1 ? requestLine[1] : "/", System.currentTimeMillis());
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

    /**
     * The bit rate the first MPEG audio frame of {@code mp3File} declares, in bits per second.
     *
     * @throws IOException when the file cannot be read, or is not an MP3 (the message says which, in one sentence)
     */
    public static int bitRate(Path mp3File) throws IOException {
        byte[] mp3 = withoutId3(Files.readAllBytes(mp3File));
        // A frame is believed when the next one follows where its length says: any bytes may look like one header.
        for (int i = 0; i + 4 <= Math.min(mp3.length, 1 << 16); i++) {
            int length = frameLength(mp3, i);
            if (length > 0 && i + length + 4 <= mp3.length && frameLength(mp3, i + length) > 0) {
                // An encoder's Info (or Xing) frame comes first, silent, at whatever rate holds its table: skip it.
                String start = new String(mp3, i, Math.min(length, 48), StandardCharsets.ISO_8859_1);
                int header = header(mp3, start.contains("Info") || start.contains("Xing") ? i + length : i);
                return ((header >>> 19 & 3) == 3 ? MPEG1_KBPS : MPEG2_KBPS)[header >>> 12 & 15] * 1000;
            }
        }
        throw new IOException(mp3File + " is not an MP3 file (no MPEG audio layer III frame in it)");
    }

    /** The length in bytes of the layer III frame whose header starts at {@code at}; 0 when none does. */
    private static int frameLength(byte[] bytes, int at) {
        int header = header(bytes, at);
        int version = header >>> 19 & 3; // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
        int index = header >>> 12 & 15;
        int rateIndex = header >>> 10 & 3;
        if ((header & 0xffe00000) != 0xffe00000 || version == 1 || (header >>> 17 & 3) != 1 || index == 0 || index == 15
                || rateIndex == 3) {
            return 0;
        }
        int sampleRate = new int[] {44_100, 48_000, 32_000}[rateIndex] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
        int bitRate = (version == 3 ? MPEG1_KBPS : MPEG2_KBPS)[index] * 1000;
        return (version == 3 ? 144 : 72) * bitRate / sampleRate + (header >>> 9 & 1);
    }

    private static int header(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | bytes[at + 3] & 0xff;
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
