package io.emostream.ingest.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.emostream.testkit.SelfSignedKeyStore;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTP as streaming servers speak it, from a scripted server on a raw socket: each test says what it answers. */
@Timeout(60)
class HttpGetTest {
    private static final HttpGet.Settings QUICK = new HttpGet.Settings(Duration.ofSeconds(2), Duration.ofSeconds(1));

    /** Answers each connection with the next of {@code answers} (raw bytes), and keeps the requests it got. */
    private static final class Scripted implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        final List<String> requests = new CopyOnWriteArrayList<>();

        Scripted(String... answers) throws IOException {
            Thread thread = new Thread(() -> {
                for (String answer : answers) {
                    try (Socket socket = server.accept()) {
                        requests.add(readRequest(socket.getInputStream()));
                        OutputStream out = socket.getOutputStream();
                        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        if (answer.endsWith("STALL")) {
                            Thread.sleep(3000);
                        }
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }

        private static String readRequest(InputStream in) throws IOException {
            StringBuilder request = new StringBuilder();
            while (!request.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                request.append((char) b);
            }
            return request.toString();
        }
    }

    @Test
    void aChunkedBodyWithExtensionsAndTrailersIsReadWhole() throws Exception {
        try (Scripted server = new Scripted("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: audio/mpeg; charset=x\r\n\r\n"
                + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n")) {
            try (HttpGet.Response response = HttpGet.open(server.uri("/live"), Map.of("Icy-MetaData", "1"), QUICK)) {
                assertThat(response.contentType()).isEqualTo("audio/mpeg");
                assertThat(response.contentLength()).isEqualTo(-1);
                assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
            }
            assertThat(server.requests.get(0)).startsWith("GET /live HTTP/1.1\r\n").contains("Host: 127.0.0.1:" + server.server.getLocalPort())
                    .contains("Icy-MetaData: 1\r\n").contains("Connection: close\r\n");
        }
    }

    @Test
    void shoutcastsIcyStatusLineIsAnHttpAnswer() throws Exception {
        try (Scripted server = new Scripted("ICY 200 OK\r\nicy-name: Old Radio\r\nicy-metaint: 8192\r\n\r\nMP3BYTES")) {
            try (HttpGet.Response response = HttpGet.open(server.uri("/"), Map.of(), QUICK)) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("ICY-NAME")).isEqualTo("Old Radio");
                assertThat(response.body().readAllBytes()).asString().isEqualTo("MP3BYTES");
            }
        }
    }

    @Test
    void redirectsAreFollowedAndTheAnswerSaysWhereItCameFrom() throws Exception {
        try (Scripted server = new Scripted("HTTP/1.1 302 Found\r\nLocation: /mounts/live.mp3?x=1\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc")) {
            try (HttpGet.Response response = HttpGet.open(server.uri("/live"), Map.of(), QUICK)) {
                assertThat(response.uri()).isEqualTo(server.uri("/mounts/live.mp3?x=1"));
                assertThat(response.contentLength()).isEqualTo(3);
                assertThat(response.body().readAllBytes()).asString().isEqualTo("abc");
            }
            assertThat(server.requests.get(1)).startsWith("GET /mounts/live.mp3?x=1 HTTP/1.1");
        }
    }

    @Test
    void errorsAreOneSentenceAndSayWhetherTryingAgainCanHelp() throws Exception {
        try (Scripted server = new Scripted("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", "SSH-2.0-OpenSSH_9.2\r\n",
                "HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nonly this",
                "HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\nSTALL")) {
            assertThatThrownBy(() -> HttpGet.open(server.uri("/a"), Map.of(), QUICK))
                    .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.retriable()).isTrue())
                    .hasMessage(server.uri("/a") + " answered 404 Not Found");
            assertThatThrownBy(() -> HttpGet.open(server.uri("/b"), Map.of(), QUICK))
                    .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.retriable()).isFalse())
                    .hasMessage(server.uri("/b") + " answered 403 Forbidden");
            assertThatThrownBy(() -> HttpGet.open(server.uri("/c"), Map.of(), QUICK))
                    .hasMessage(server.uri("/c") + " does not speak HTTP (it answered \"SSH-2.0-OpenSSH_9.2\")");
            try (HttpGet.Response shortBody = HttpGet.open(server.uri("/d"), Map.of(), QUICK)) {
                assertThatThrownBy(() -> shortBody.body().readAllBytes()).isInstanceOf(EOFException.class)
                        .hasMessage("the connection closed 91 bytes before the end it declared");
            }
            try (HttpGet.Response stalled = HttpGet.open(server.uri("/e"), Map.of(), QUICK)) {
                byte[] first = stalled.body().readNBytes(5);
                assertThat(first).asString().isEqualTo("STALL");
                assertThatThrownBy(() -> stalled.body().read())
                        .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.retriable()).isTrue())
                        .hasMessage(server.uri("/e") + " stalled: nothing arrived for 1 s");
            }
        }
        int closed;
        try (ServerSocket unused = new ServerSocket(0)) {
            closed = unused.getLocalPort();
        }
        assertThatThrownBy(() -> HttpGet.open(URI.create("http://127.0.0.1:" + closed + "/"), Map.of(), QUICK))
                .hasMessage("http://127.0.0.1:" + closed + "/ cannot be reached: 127.0.0.1:" + closed + " refused the connection");
        assertThatThrownBy(() -> HttpGet.open(URI.create("http://no-such-host.invalid/"), Map.of(), QUICK))
                .hasMessage("http://no-such-host.invalid/ cannot be reached: the name no-such-host.invalid does not resolve");
    }

    /** The server's side: the key store's certificate and key. */
    private static SSLContext serving(Path keyStore) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keyStore)) {
            store.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Test
    void httpsChecksTheCertificateAndWorksWithOneItTrusts(@TempDir Path dir) throws Exception {
        Path keyStore = SelfSignedKeyStore.create(dir.resolve("server.p12"), "changeit");
        SSLContext context = SelfSignedKeyStore.trusting(keyStore, "changeit");
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serving(keyStore)));
        server.createContext("/", exchange -> {
            byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/stream");
            assertThatThrownBy(() -> HttpGet.open(uri, Map.of(), QUICK))
                    .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.retriable()).isFalse())
                    .hasMessage(uri + " failed the TLS handshake: its certificate is not signed by an authority this JVM trusts"
                            + " (self-signed, or a private CA: add it to the JVM's trust store)");
            HttpGet.Settings trusting = new HttpGet.Settings(QUICK.connectTimeout(), QUICK.readTimeout(), context.getSocketFactory());
            try (HttpGet.Response response = HttpGet.open(uri, Map.of(), trusting)) {
                assertThat(response.body().readAllBytes()).asString().isEqualTo("secure");
            }
            URI byName = URI.create("https://localhost:" + server.getAddress().getPort() + "/stream");
            assertThatThrownBy(() -> HttpGet.open(byName, Map.of(), trusting))
                    .hasMessage(byName + " failed the TLS handshake: its certificate is not for localhost");
        } finally {
            server.stop(0);
        }
    }
}
