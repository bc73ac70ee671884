package io.emostream.ingest.stream;

import io.emostream.ingest.net.BlockInputStream;
import io.emostream.ingest.net.HlsPlaylist;
import io.emostream.ingest.net.HttpGet;
import io.emostream.ingest.net.SourceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * An HLS stream (RFC 8216), live or VOD, as runs of segment bytes. A multivariant playlist is narrowed to its
 * audio. A live playlist is joined three target durations from its end, as section 6.3.3 asks, and fetched again
 * as section 6.3.4 says (after a target duration when it changed, half of one when it did not). A run goes on
 * while the encoding stays the same; it ends before an EXT-X-DISCONTINUITY or a new initialization section (the
 * audio joins on, with a new decoder), and where segments were lost: rolled off the playlist before they were
 * fetched, or failing three times. Their length is then the gap before the next run.
 */
final class HlsSource implements StreamSource {
    private static final int MAX_PLAYLIST_BYTES = 4 << 20;
    private static final int SEGMENT_ATTEMPTS = 3;

    private final UrlIngest.Settings settings;
    private final BooleanSupplier stopRequested;
    private final URI mediaUri;
    private HlsPlaylist.Media playlist;
    private long playlistFetchedNanos;
    private boolean playlistChanged = true;
    private long nextSequence;
    private URI initSection;
    private byte[] initBytes;
    private double pendingGap;
    private String pendingDescription = "";
    private boolean started;
    private boolean done;
    private String gaveUp;
    private volatile HttpGet.Response segment;

    /**
     * @param uri  where the first playlist came from
     * @param text that playlist, already fetched
     */
    HlsSource(URI uri, String text, UrlIngest.Settings settings, BooleanSupplier stopRequested) throws SourceException {
        this.settings = settings;
        this.stopRequested = stopRequested;
        HlsPlaylist first = HlsPlaylist.parse(uri, text);
        if (first instanceof HlsPlaylist.Multivariant variants) {
            mediaUri = variants.audioPlaylist();
            playlist = media(fetch(mediaUri));
        } else {
            mediaUri = uri;
            playlist = (HlsPlaylist.Media) first;
        }
        playlistFetchedNanos = System.nanoTime();
        nextSequence = playlist.ended() ? playlist.firstSequence() : liveEdge(playlist);
    }

    /** Whether the playlist said it will not grow (VOD, or a live event that has finished). */
    boolean ended() {
        return playlist.ended();
    }

    @Override
    public Run next() {
        if (done || stopRequested.getAsBoolean()) {
            return null;
        }
        Run run = new Run(new Segments(), started ? pendingGap : 0, started ? pendingDescription : "");
        started = true;
        pendingGap = 0;
        pendingDescription = "";
        return run;
    }

    @Override
    public String gaveUp() {
        return gaveUp;
    }

    @Override
    public void interrupt() {
        HttpGet.Response response = segment;
        if (response != null) {
            response.close();
        }
    }

    /** The first segment that starts at least three target durations before the playlist's end. */
    static long liveEdge(HlsPlaylist.Media playlist) {
        List<HlsPlaylist.Segment> segments = playlist.segments();
        double fromEnd = 0;
        int start = segments.size();
        while (start > 0 && fromEnd < 3 * playlist.targetSeconds()) {
            start--;
            fromEnd += segments.get(start).seconds();
        }
        return playlist.firstSequence() + start;
    }

    /** The bytes of one run: segment after segment, fetched as the playlist lists them. */
    private final class Segments extends BlockInputStream {
        private InputStream body = InputStream.nullInputStream();
        private boolean first = true;
        private boolean finished;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (!finished) {
                int n = body.read(b, off, len);
                if (n >= 0) {
                    return n;
                }
                body.close();
                body = nextSegment();
                if (body == null) {
                    finished = true;
                }
            }
            return -1;
        }

        /** The next segment's bytes, or null where this run ends. */
        private InputStream nextSegment() throws IOException {
            HlsPlaylist.Segment next = awaitSegment();
            if (next == null) {
                return null;
            }
            if (next.encryption() != null) {
                done = true;
                throw new SourceException(next.uri() + " is encrypted (" + next.encryption() + "), which emostream does not"
                        + " decrypt; give the stream's unencrypted address", false);
            }
            boolean newInit = next.initSection() != null && !next.initSection().equals(initSection);
            if (!first && (next.discontinuity() || newInit)) {
                return null; // a new encoding: a decoder of its own, with no gap in time
            }
            InputStream bytes = fetchSegment(next);
            if (bytes == null) {
                pendingGap += next.seconds();
                pendingDescription = String.format(Locale.ROOT, "segment %d could not be fetched", next.sequence());
                nextSequence++;
                return null;
            }
            nextSequence++;
            if (next.initSection() != null && (first || newInit)) {
                if (newInit) {
                    initSection = next.initSection();
                    initBytes = fetchInitSection(initSection);
                }
                bytes = new SequenceInputStream(new ByteArrayInputStream(initBytes), bytes);
            }
            first = false;
            return bytes;
        }
    }

    /**
     * Waits until the playlist lists {@link #nextSequence}: null when it never will (the playlist ended, a stop was
     * requested, the playlist could not be fetched for too long) or when segments were lost before it.
     */
    private HlsPlaylist.Segment awaitSegment() throws SourceException {
        while (nextSequence >= playlist.nextSequence()) {
            if (playlist.ended() || stopRequested.getAsBoolean()) {
                done = true;
                return null;
            }
            if (!reload()) {
                done = true;
                return null;
            }
        }
        if (nextSequence < playlist.firstSequence()) {
            long lost = playlist.firstSequence() - nextSequence;
            pendingGap += lost * playlist.targetSeconds();
            pendingDescription = String.format(Locale.ROOT, "%d segment%s rolled off the playlist before %s fetched", lost,
                    lost == 1 ? "" : "s", lost == 1 ? "it was" : "they were");
            nextSequence = playlist.firstSequence();
            return null;
        }
        return playlist.segment(nextSequence);
    }

    /** Fetches the playlist again when it is due; false when it could not be fetched for longer than allowed. */
    private boolean reload() throws SourceException {
        double waitSeconds = playlistChanged ? playlist.targetSeconds() : playlist.targetSeconds() / 2;
        long due = playlistFetchedNanos + (long) (waitSeconds * 1e9);
        if (!sleepUntil(due)) {
            return false;
        }
        Backoff backoff = new Backoff(settings.firstRetry(), settings.maxRetry(), settings.giveUpAfter(), stopRequested);
        while (true) {
            try {
                HlsPlaylist.Media fresh = media(fetch(mediaUri));
                playlistFetchedNanos = System.nanoTime();
                playlistChanged = fresh.nextSequence() != playlist.nextSequence();
                if (fresh.nextSequence() < nextSequence - fresh.segments().size()) {
                    // The server started counting again (a restarted packager): join its new live edge.
                    nextSequence = liveEdge(fresh);
                    pendingDescription = "the playlist started its numbering again";
                    pendingGap += fresh.targetSeconds();
                }
                playlist = fresh;
                return true;
            } catch (SourceException e) {
                if (!e.retriable()) {
                    throw e;
                }
                try {
                    if (!backoff.await()) {
                        gaveUp = String.format(Locale.ROOT, "gave up fetching %s after %d s (last: %s)", mediaUri,
                                backoff.elapsed().toSeconds(), e.getMessage());
                        return false;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** A segment's body, tried {@value #SEGMENT_ATTEMPTS} times; null when it could not be fetched. */
    private InputStream fetchSegment(HlsPlaylist.Segment next) throws SourceException {
        for (int attempt = 1; attempt <= SEGMENT_ATTEMPTS && !stopRequested.getAsBoolean(); attempt++) {
            try {
                HttpGet.Response response = HttpGet.open(next.uri(), Map.of(), settings.http());
                segment = response;
                // A segment is small: read whole, so a connection lost inside it is retried rather than half-decoded.
                byte[] bytes = response.body().readAllBytes();
                response.close();
                return new ByteArrayInputStream(bytes);
            } catch (SourceException e) {
                if (!e.retriable()) {
                    return null;
                }
            } catch (IOException e) {
                // broke off inside the segment: try again
            }
        }
        return null;
    }

    /** An initialization section (an MP4 header, a few KiB): needed whole, or the run cannot be decoded. */
    private byte[] fetchInitSection(URI uri) throws IOException {
        try (HttpGet.Response response = HttpGet.open(uri, Map.of(), settings.http())) {
            byte[] bytes = response.body().readNBytes(MAX_PLAYLIST_BYTES + 1);
            if (bytes.length > MAX_PLAYLIST_BYTES) {
                throw new SourceException(uri + " is larger than " + (MAX_PLAYLIST_BYTES >> 20) + " MiB, more than an"
                        + " initialization section", false);
            }
            return bytes;
        }
    }

    private String fetch(URI uri) throws SourceException {
        try (HttpGet.Response response = HttpGet.open(uri, Map.of(), settings.http())) {
            return response.text(MAX_PLAYLIST_BYTES);
        }
    }

    private HlsPlaylist.Media media(String text) throws SourceException {
        HlsPlaylist parsed = HlsPlaylist.parse(mediaUri, text);
        if (parsed instanceof HlsPlaylist.Media media) {
            return media;
        }
        throw new SourceException(mediaUri + " is a playlist of playlists where a playlist of segments was expected", false);
    }

    private boolean sleepUntil(long dueNanos) {
        while (System.nanoTime() < dueNanos) {
            if (stopRequested.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(100, (dueNanos - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
