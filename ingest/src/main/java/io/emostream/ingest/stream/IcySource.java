package io.emostream.ingest.stream;

import io.emostream.ingest.net.HttpGet;
import io.emostream.ingest.net.IcyMetadataStream;
import io.emostream.ingest.net.SourceException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A live HTTP audio stream (Icecast, Shoutcast, any server that sends MP3, AAC or Ogg without end): one run per
 * connection. When the server drops the connection, or stops sending for longer than the read timeout, it is
 * reached again with {@link Backoff}; the time it was away is the gap before the next run, never less than
 * {@link UrlIngest#MIN_GAP_SECONDS} so the job sees a discontinuity even after a quick reconnect (the audio missed
 * in between is gone either way). Stream titles (ICY metadata) and the station's headers go to {@code onMetadata}.
 */
final class IcySource implements StreamSource {
    /** Asks Icecast and Shoutcast for in-band titles. */
    static final Map<String, String> REQUEST_HEADERS = Map.of("Icy-MetaData", "1");

    private final URI uri;
    private final UrlIngest.Settings settings;
    private final Consumer<Map<String, String>> onMetadata;
    private final BooleanSupplier stopRequested;
    private HttpGet.Response first;
    private volatile HttpGet.Response current;
    private String gaveUp;

    /** @param first the answer to the first request, already checked to be audio */
    IcySource(URI uri, HttpGet.Response first, UrlIngest.Settings settings, Consumer<Map<String, String>> onMetadata,
              BooleanSupplier stopRequested) {
        this.uri = uri;
        this.first = first;
        this.current = first;
        this.settings = settings;
        this.onMetadata = onMetadata;
        this.stopRequested = stopRequested;
    }

    @Override
    public Run next() throws InterruptedException {
        if (first != null) {
            HttpGet.Response response = first;
            first = null;
            return new Run(audio(response), 0, "");
        }
        long lostNanos = System.nanoTime();
        Backoff backoff = new Backoff(settings.firstRetry(), settings.maxRetry(), settings.giveUpAfter(), stopRequested);
        String lastError = null;
        while (backoff.await()) {
            try {
                HttpGet.Response response = HttpGet.open(uri, REQUEST_HEADERS, settings.http());
                double away = (System.nanoTime() - lostNanos) / 1e9;
                return new Run(audio(response), Math.max(away, UrlIngest.MIN_GAP_SECONDS),
                        String.format(Locale.ROOT, "reconnected after %.1f s", away));
            } catch (SourceException e) {
                lastError = e.getMessage();
            }
        }
        if (!stopRequested.getAsBoolean()) {
            gaveUp = String.format(Locale.ROOT, "gave up reconnecting after %d s%s", backoff.elapsed().toSeconds(),
                    lastError == null ? "" : " (last: " + lastError + ")");
        }
        return null;
    }

    @Override
    public String gaveUp() {
        return gaveUp;
    }

    @Override
    public void interrupt() {
        HttpGet.Response response = current;
        if (response != null) {
            response.close();
        }
    }

    /** The body without its metadata blocks; the station's description from the headers, once per connection. */
    private InputStream audio(HttpGet.Response response) {
        current = response;
        Map<String, String> station = new LinkedHashMap<>();
        for (String name : new String[] {"icy-name", "icy-genre", "icy-description", "icy-url", "icy-br"}) {
            String value = response.header(name);
            if (value != null && !value.isBlank()) {
                station.put(name.replace("icy-", "icy.").replace(".br", ".bitrate"), value.strip());
            }
        }
        if (!station.isEmpty()) {
            onMetadata.accept(station);
        }
        String interval = response.header("icy-metaint");
        if (interval == null) {
            return response.body();
        }
        try {
            return new IcyMetadataStream(response.body(), Integer.parseInt(interval.trim()), fields -> {
                String title = fields.get("StreamTitle");
                if (title != null) {
                    onMetadata.accept(Map.of("icy.title", title));
                }
            });
        } catch (IllegalArgumentException e) {
            // A server that announces no usable interval sends no blocks we could find: its bytes are all audio.
            return response.body();
        }
    }
}
