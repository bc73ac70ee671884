package io.emostream.ingest.net;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET over a plain or TLS socket, following redirects. Written for media sources rather than taken from
 * the JDK's client because streaming servers need what that client does not give: Shoutcast answers
 * {@code ICY 200 OK} instead of an HTTP status line, and a live stream that stops sending must be noticed
 * ({@link Settings#readTimeout()} applies to every read of the body, so a stall ends the read with a
 * {@link SourceException} rather than hanging). Certificates and host names are checked as a browser does.
 * One request per connection ({@code Connection: close}); bodies may be chunked, sized, or end with the connection.
 */
public final class HttpGet {
    /** Sent on every request: servers that tailor their answer to players see who asks. */
    public static final String USER_AGENT = "emostream-ingest/1 (+https://github.com/emostream)";
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /**
     * @param connectTimeout how long a connection (and the answer's headers) may take
     * @param readTimeout    the longest silence within a body before the source counts as stalled
     * @param tls            makes https connections: the JVM's default trusts the certificate authorities it ships with
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(15));

        public Settings(Duration connectTimeout, Duration readTimeout) {
            this(connectTimeout, readTimeout, (SSLSocketFactory) SSLSocketFactory.getDefault());
        }
    }

    private HttpGet() {
    }

    /**
     * Asks for {@code uri} and returns the answer once its headers are in, after redirects. A status other than
     * 2xx is a {@link SourceException} naming it (304 too, unless {@code acceptNotModified}).
     *
     * @param headers extra request headers (e.g. {@code Icy-MetaData: 1}, {@code If-None-Match})
     */
    public static Response open(URI uri, Map<String, String> headers, Settings settings) throws SourceException {
        return open(uri, headers, settings, false);
    }

    /** As {@link #open(URI, Map, Settings)}; with {@code acceptNotModified}, a 304 answer is returned, not refused. */
    public static Response open(URI uri, Map<String, String> headers, Settings settings, boolean acceptNotModified)
            throws SourceException {
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            Response response = request(current, headers, settings);
            int status = response.status();
            if (status >= 200 && status < 300 || status == 304 && acceptNotModified) {
                return response;
            }
            response.close();
            String location = response.header("location");
            if (status >= 300 && status < 400 && status != 304 && location != null) {
                if (redirects == MAX_REDIRECTS) {
                    throw new SourceException(uri + " redirects more than " + MAX_REDIRECTS + " times", false);
                }
                current = current.resolve(location.trim());
                continue;
            }
            // 5xx, 404 (a live mount without its source), 408 and 429 may pass; other client errors will not.
            boolean retriable = status >= 500 || status == 404 || status == 408 || status == 429;
            throw new SourceException(current + " answered " + status + (response.reason().isEmpty() ? "" : " " + response.reason()),
                    retriable);
        }
    }

    private static Response request(URI uri, Map<String, String> headers, Settings settings) throws SourceException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new SourceException(uri + " is not an http:// or https:// URL", false);
        }
        String host = uri.getHost();
        if (host == null) {
            throw new SourceException(uri + " names no host", false);
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        Socket socket = null;
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), (int) settings.connectTimeout().toMillis());
            socket.setSoTimeout((int) settings.connectTimeout().toMillis());
            if (tls) {
                socket = startTls(settings.tls(), socket, host, port);
            }
            OutputStream out = socket.getOutputStream();
            out.write(requestHead(uri, host, port, tls, headers).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            String statusLine = readLine(in);
            if (statusLine == null) {
                throw new SourceException(uri + " closed the connection without answering", true);
            }
            String[] parts = statusLine.split(" ", 3);
            // "ICY 200 OK" is Shoutcast's HTTP/1.0 answer under another name.
            if (parts.length < 2 || !(parts[0].startsWith("HTTP/") || parts[0].equals("ICY")) || !parts[1].matches("\\d{3}")) {
                throw new SourceException(uri + " does not speak HTTP (it answered \"" + printable(statusLine) + "\")", false);
            }
            Map<String, String> responseHeaders = readHeaders(in, uri);
            socket.setSoTimeout((int) settings.readTimeout().toMillis());
            return new Response(uri, Integer.parseInt(parts[1]), parts.length > 2 ? parts[2].trim() : "", responseHeaders,
                    body(in, responseHeaders, uri, settings), socket);
        } catch (SourceException e) {
            closeQuietly(socket);
            throw e;
        } catch (UnknownHostException e) {
            closeQuietly(socket);
            throw new SourceException(uri + " cannot be reached: the name " + host + " does not resolve", true, e);
        } catch (ConnectException | NoRouteToHostException e) {
            closeQuietly(socket);
            throw new SourceException(uri + " cannot be reached: " + host + ":" + port + " refused the connection", true, e);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new SourceException(uri + " did not answer within " + settings.connectTimeout().toSeconds() + " s", true, e);
        } catch (SSLException e) {
            closeQuietly(socket);
            throw new SourceException(uri + " failed the TLS handshake: " + tlsReason(e, host), false, e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new SourceException(uri + " cannot be read (" + e.getMessage() + ")", true, e);
        }
    }

    private static Socket startTls(SSLSocketFactory tls, Socket plain, String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** What a TLS failure means for the user, rather than the JDK's words for it. */
    private static String tlsReason(SSLException e, String host) {
        String text = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        if (text.contains("PKIX") || text.contains("unable to find valid certification path")) {
            return "its certificate is not signed by an authority this JVM trusts (self-signed, or a private CA: add it to the"
                    + " JVM's trust store)";
        }
        if (text.contains("No subject alternative") || text.contains("No name matching")) {
            return "its certificate is not for " + host;
        }
        if (text.contains("expired") || text.contains("NotAfter")) {
            return "its certificate has expired";
        }
        return e.getMessage();
    }

    private static String requestHead(URI uri, String host, int port, boolean tls, Map<String, String> headers) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        boolean defaultPort = port == (tls ? 443 : 80);
        StringBuilder head = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host.contains(":") ? "[" + host + "]" : host).append(defaultPort ? "" : ":" + port).append("\r\n")
                .append("User-Agent: ").append(USER_AGENT).append("\r\n")
                .append("Accept: */*\r\n")
                .append("Accept-Encoding: identity\r\n")
                .append("Connection: close\r\n");
        if (uri.getRawUserInfo() != null) {
            String credentials = java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
            head.append("Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    private static Map<String, String> readHeaders(InputStream in, URI uri) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                throw new SourceException(uri + " sent more than " + MAX_HEADER_BYTES / 1024 + " KiB of headers", false);
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                // Names are case-insensitive: kept in lower case; a repeated header keeps its values comma-joined.
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }

    private static InputStream body(InputStream in, Map<String, String> headers, URI uri, Settings settings) throws IOException {
        InputStream body;
        String transfer = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (transfer.contains("chunked")) {
            body = new ChunkedInputStream(in);
        } else if (headers.containsKey("content-length")) {
            body = new SizedInputStream(in, Long.parseLong(headers.get("content-length").trim()));
        } else {
            body = in;
        }
        body = new StallGuard(body, uri, settings.readTimeout());
        return headers.getOrDefault("content-encoding", "").equalsIgnoreCase("gzip") ? new GZIPInputStream(body) : body;
    }

    /** The answer: status, headers (names in lower case), and the body as it arrives. Closing it closes the connection. */
    public static final class Response implements AutoCloseable {
        private final URI uri;
        private final int status;
        private final String reason;
        private final Map<String, String> headers;
        private final InputStream body;
        private final Socket socket;

        Response(URI uri, int status, String reason, Map<String, String> headers, InputStream body, Socket socket) {
            this.uri = uri;
            this.status = status;
            this.reason = reason;
            this.headers = Map.copyOf(headers);
            this.body = body;
            this.socket = socket;
        }

        /** Where the answer came from, after redirects: relative URLs in it resolve against this. */
        public URI uri() {
            return uri;
        }

        public int status() {
            return status;
        }

        public String reason() {
            return reason;
        }

        /** A header's value (several joined by ", "), or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public Map<String, String> headers() {
            return headers;
        }

        /** The media type without parameters, in lower case; empty when none was sent. */
        public String contentType() {
            String type = headers.getOrDefault("content-type", "");
            int semicolon = type.indexOf(';');
            return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        }

        /** The declared length of the body, or -1 when it is chunked or runs until the connection closes. */
        public long contentLength() {
            String length = headers.get("content-length");
            return length == null || headers.getOrDefault("transfer-encoding", "").contains("chunked") ? -1 : Long.parseLong(length.trim());
        }

        public InputStream body() {
            return body;
        }

        /** Reads the whole body as text (a playlist, a feed), refusing one larger than {@code maxBytes}. */
        public String text(int maxBytes) throws SourceException {
            try {
                byte[] bytes = body.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw new SourceException(uri + " is larger than " + maxBytes / 1024 + " KiB, more than a playlist or feed", false);
                }
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (SourceException e) {
                throw e;
            } catch (IOException e) {
                throw new SourceException(uri + " broke off while it was read (" + e.getMessage() + ")", true, e);
            }
        }

        @Override
        public void close() {
            closeQuietly(socket);
        }
    }

    /** A body that stops at its declared length; ending before it is an error, not a quiet end. */
    private static final class SizedInputStream extends BlockInputStream {
        private final InputStream in;
        private long left;

        SizedInputStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the connection closed " + left + " bytes before the end it declared");
            }
            left -= n;
            return n;
        }
    }

    /** Transfer-Encoding: chunked, as RFC 9112 section 7.1 has it (extensions and trailers read and ignored). */
    private static final class ChunkedInputStream extends BlockInputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = readLine(in);
                if (size == null) {
                    throw new EOFException("the connection closed inside a chunked body");
                }
                int semicolon = size.indexOf(';');
                try {
                    left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("a chunk size is not hexadecimal: \"" + printable(size) + "\"");
                }
                if (left == 0) {
                    for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                        // trailers carry nothing a media source needs
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the connection closed inside a chunk");
            }
            left -= n;
            if (left == 0) {
                readLine(in); // the CRLF after the chunk's data
            }
            return n;
        }
    }

    /** Turns a read that timed out into a retriable {@link SourceException} that says the source stalled. */
    private static final class StallGuard extends InputStream {
        private final InputStream in;
        private final URI uri;
        private final Duration timeout;

        StallGuard(InputStream in, URI uri, Duration timeout) {
            this.in = in;
            this.uri = uri;
            this.timeout = timeout;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (SocketTimeoutException e) {
                throw stalled(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw stalled(e);
            }
        }

        private SourceException stalled(SocketTimeoutException e) {
            return new SourceException(uri + " stalled: nothing arrived for " + timeout.toSeconds() + " s", true, e);
        }
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1, or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() >= MAX_HEADER_BYTES) {
                throw new IOException("a header line is longer than " + MAX_HEADER_BYTES / 1024 + " KiB");
            }
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static String printable(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() <= 60 ? cleaned : cleaned.substring(0, 60) + "...";
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that was asked
            }
        }
    }
}
