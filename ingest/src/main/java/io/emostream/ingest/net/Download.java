package io.emostream.ingest.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Fetches a recording (a podcast episode, a file behind a URL) to a local file, so that FFmpeg can seek in it: an
 * MP4 whose index sits at its end cannot be decoded from a stream. Reports progress as it goes and stops when told.
 */
public final class Download {
    /** Told the bytes received so far and the total the server declared (-1 when it declared none). */
    @FunctionalInterface
    public interface Progress {
        void received(long bytes, long total);
    }

    private Download() {
    }

    /**
     * Writes the body of {@code uri} to {@code target}, whole or not at all: a download that broke off or was stopped
     * deletes what it wrote and throws.
     *
     * @return the answer's headers, for the caller's metadata (content type, length)
     */
    public static Map<String, String> to(Path target, URI uri, HttpGet.Settings settings, Progress progress,
                                         BooleanSupplier stopRequested) throws SourceException {
        try (HttpGet.Response response = HttpGet.open(uri, Map.of(), settings);
             InputStream in = response.body();
             OutputStream out = Files.newOutputStream(target)) {
            long total = response.contentLength();
            long received = 0;
            long reported = 0;
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (stopRequested.getAsBoolean()) {
                    throw new SourceException(uri + " was not fetched: stopped on request", false);
                }
                out.write(buffer, 0, n);
                received += n;
                if (received - reported >= 1 << 20) {
                    progress.received(received, total);
                    reported = received;
                }
            }
            progress.received(received, total);
            return response.headers();
        } catch (SourceException e) {
            deleteQuietly(target);
            throw e;
        } catch (IOException e) {
            deleteQuietly(target);
            throw new SourceException(uri + " broke off while it was fetched (" + e.getMessage() + ")", true, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file; the caller's directory is removed with it
        }
    }
}
