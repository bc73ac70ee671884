package io.emostream.ingest.stream;

import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.chunk.CallIds;
import io.emostream.ingest.chunk.SpeakerRoles;
import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.live.CallRefusedException;
import io.emostream.ingest.live.LiveCall;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveLimits;
import io.emostream.ingest.media.MediaException;
import io.emostream.ingest.media.MediaFiles;
import io.emostream.ingest.media.MediaReader;
import io.emostream.ingest.net.Download;
import io.emostream.ingest.net.HttpGet;
import io.emostream.ingest.net.SourceException;
import io.emostream.schema.AudioEncoding;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Audio behind a URL, as one call: a live HTTP stream (Icecast, Shoutcast, with ICY titles), an HLS playlist (live
 * or VOD), a station's .pls or .m3u pointing to either, or a recording (a file with a declared length, fetched
 * first so FFmpeg can seek in it, then ingested like a file). Live audio is decoded as it arrives (paced by
 * arrival, never read ahead), and the call's position follows the decoded samples; where time was lost (a
 * reconnect, segments missed) the call skips ahead by that much, so the job records a discontinuity instead of
 * joining the audio across it. Titles and reconnects are source metadata on the chunks that follow them.
 * {@link #requestStop()} (Ctrl-C) ends the call at the audio read so far. Several URLs may be ingested at once, each
 * from a thread of its own.
 */
public final class UrlIngest {
    /**
     * The least a reconnect moves the call on: more than the job bridges with silence (500 ms), so even a quick
     * reconnect is a discontinuity. The audio missed in between is gone either way.
     */
    public static final double MIN_GAP_SECONDS = 1.0;
    private static final int MAX_PLAYLIST_BYTES = 1 << 20;
    private static final int MAX_PLAYLIST_HOPS = 3;

    /**
     * @param giveUpAfter how long a live source that dropped is tried again before the call ends
     * @param maxSeconds  the most audio to take from a live stream (infinity: until stopped or the stream ends)
     * @param realtime    pace a VOD playlist at its own speed, as a live one is (live streams are paced anyway)
     * @param endless     whether a live stream may play without {@code maxSeconds}, until stopped; a batch
     *                    analysis, which needs its inputs to end, refuses one
     */
    public record Settings(HttpGet.Settings http, Duration firstRetry, Duration maxRetry, Duration giveUpAfter,
                           double maxSeconds, boolean realtime, boolean endless) {
        public static final Settings DEFAULT = new Settings(HttpGet.Settings.DEFAULT, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofMinutes(10), Double.POSITIVE_INFINITY, false, true);

        public Settings {
            if (!(maxSeconds > 0)) {
                throw new IllegalArgumentException("the most audio to take must be positive, not " + maxSeconds + " s");
            }
        }

        public Settings withMaxSeconds(double seconds) {
            return new Settings(http, firstRetry, maxRetry, giveUpAfter, seconds, realtime, endless);
        }

        public Settings withRealtime(boolean pace) {
            return new Settings(http, firstRetry, maxRetry, giveUpAfter, maxSeconds, pace, endless);
        }

        public Settings withGiveUpAfter(Duration giveUp) {
            return new Settings(http, firstRetry, maxRetry, giveUp, maxSeconds, realtime, endless);
        }

        public Settings withEndless(boolean allowed) {
            return new Settings(http, firstRetry, maxRetry, giveUpAfter, maxSeconds, realtime, allowed);
        }
    }

    private final FileIngest.Options options;
    private final Settings settings;
    private final FileIngest files;
    private final LiveCalls calls;
    private final Consumer<String> onNotice;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final Set<StreamSource> playing = ConcurrentHashMap.newKeySet();

    /**
     * @param options  chunk length, roles, speakers, series and audio track, as for files
     * @param onNotice told what happens while a stream plays, one sentence each: titles, drops, reconnects
     */
    public UrlIngest(ChunkPublisher publisher, FileIngest.Options options, Settings settings, Consumer<String> onNotice) {
        this.options = options;
        this.settings = settings;
        this.files = new FileIngest(publisher, options, outcome -> { });
        this.calls = new LiveCalls(publisher, LiveLimits.defaults().withChunkMs(options.chunkMs()));
        this.onNotice = onNotice;
    }

    /** Ends the call at the audio read so far; a fetch under way is abandoned. */
    public void requestStop() {
        stopRequested.set(true);
        files.requestStop();
        playing.forEach(StreamSource::interrupt);
    }

    /** A call id for a URL: its last path segment (or host) and the time, as stdin's are. */
    public static String callIdFor(URI url) {
        String path = url.getPath() == null ? "" : url.getPath().replaceAll("/+$", "");
        String name = path.isEmpty() ? url.getHost() : path.substring(path.lastIndexOf('/') + 1);
        return CallIds.fromFileName(name == null || name.isBlank() ? "stream" : name) + "-" + System.currentTimeMillis() / 1000;
    }

    /**
     * Ingests the audio behind {@code url} as call {@code callId} (null: {@link #callIdFor}), until it ends, is given
     * up on, reaches {@link Settings#maxSeconds()}, or a stop is requested. Never throws for what the URL serves:
     * what cannot be used is a {@link IngestOutcome.Rejected} with one sentence.
     */
    public IngestOutcome ingest(URI url, String callId) {
        String id = callId != null ? callId : callIdFor(url);
        String name = url.toString();
        try {
            return ingest(url, name, id, 0);
        } catch (SourceException e) {
            return new IngestOutcome.Rejected(name, e.getMessage());
        }
    }

    private IngestOutcome ingest(URI url, String name, String callId, int hops) throws SourceException {
        HttpGet.Response response = HttpGet.open(url, IcySource.REQUEST_HEADERS, settings.http());
        String type = response.contentType();
        boolean icy = response.header("icy-metaint") != null || response.header("icy-name") != null;
        if (!icy && (isPlaylistType(type) || isTextType(type) || url.getPath() != null && url.getPath().toLowerCase(Locale.ROOT).matches(".*\\.(m3u8?|pls)"))) {
            String text;
            try (response) {
                text = response.text(MAX_PLAYLIST_BYTES);
            }
            return fromText(url, response.uri(), type, text, name, callId, hops);
        }
        if (!icy && response.contentLength() >= 0) {
            response.close();
            return recording(response.uri(), type, name, callId);
        }
        MetadataRelay relay = new MetadataRelay();
        return live(name, callId, new IcySource(response.uri(), response, settings, relay, this::stopping), relay);
    }

    /** A text answer: an HLS playlist, a station's playlist pointing elsewhere, or not audio at all. */
    private IngestOutcome fromText(URI url, URI base, String type, String text, String name, String callId, int hops)
            throws SourceException {
        String start = text.stripLeading();
        if (start.startsWith("#EXTM3U") && text.contains("#EXT-X-")) {
            return live(name, callId, new HlsSource(base, text, settings, this::stopping), new MetadataRelay());
        }
        URI entry = StationPlaylist.firstEntry(base, text);
        if (entry != null) {
            if (hops == MAX_PLAYLIST_HOPS) {
                throw new SourceException(url + " leads through more than " + MAX_PLAYLIST_HOPS + " playlists", false);
            }
            onNotice.accept(name + ": a playlist; playing its first entry, " + entry);
            return ingest(entry, name, callId, hops + 1);
        }
        throw new SourceException(url + " is not an audio stream: it serves " + (type.isEmpty() ? "text" : type)
                + (start.toLowerCase(Locale.ROOT).startsWith("<!doctype html") || start.toLowerCase(Locale.ROOT).startsWith("<html")
                ? " (a web page; give the address of the stream itself)" : ""), false);
    }

    /** A file behind a URL: fetched whole, then ingested as a file is (media or WAV). */
    private IngestOutcome recording(URI url, String type, String name, String callId) throws SourceException {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("emostream-url");
            Path file = dir.resolve("recording");
            Download.to(file, url, settings.http(), (bytes, total) -> { }, stopRequested::get);
            boolean wav = type.equals("audio/wav") || type.equals("audio/x-wav") || type.equals("audio/wave")
                    || MediaFiles.isWav(Path.of(url.getPath() == null || url.getPath().isEmpty() ? "x" : url.getPath()));
            return files.ingestFetched(file, !wav, name, callId, "url:" + url, options.identity().withMetadata(
                    merged(options.identity().metadata(), Map.of("stream.url", url.toString()))));
        } catch (IOException e) {
            throw new SourceException(name + " could not be stored for decoding (" + e.getMessage() + ")", false, e);
        } finally {
            deleteTree(dir);
        }
    }

    private boolean stopping() {
        return stopRequested.get();
    }

    /** Hands a source's metadata to the session that plays it: the source is made first, and speaks once it plays. */
    private static final class MetadataRelay implements Consumer<Map<String, String>> {
        private volatile Consumer<Map<String, String>> target = update -> { };

        @Override
        public void accept(Map<String, String> update) {
            target.accept(update);
        }

        void to(Consumer<Map<String, String>> session) {
            target = session;
        }
    }

    private IngestOutcome live(String name, String callId, StreamSource source, MetadataRelay relay) {
        Session session = new Session(name, callId, source);
        relay.to(session::metadata);
        boolean live = !(source instanceof HlsSource hls && hls.ended());
        if (live && !settings.endless() && settings.maxSeconds() == Double.POSITIVE_INFINITY) {
            source.interrupt();
            return new IngestOutcome.Rejected(name, "is a live stream, which never ends: say how much of it to take"
                    + " (--duration SECONDS)");
        }
        playing.add(source);
        try {
            if (stopRequested.get()) {
                source.interrupt();
            }
            return session.play();
        } finally {
            playing.remove(source);
        }
    }

    /** One live call over a source's runs: a decoder per run, gaps between runs where time was lost. */
    private final class Session {
        private final String name;
        private final String callId;
        private final StreamSource source;
        private final List<String> warnings = new ArrayList<>();
        private final AtomicBoolean enough = new AtomicBoolean();
        private final long startNanos = System.nanoTime();
        private Map<String, String> streamMetadata = Map.of();
        private LiveCall call;
        private String codec;
        private long framesSkipped;
        private int discontinuities;
        private double lostSeconds;

        Session(String name, String callId, StreamSource source) {
            this.name = name;
            this.callId = callId;
            this.source = source;
        }

        private boolean done() {
            return stopRequested.get() || enough.get();
        }

        IngestOutcome play() {
            try {
                StreamSource.Run run = source.next();
                while (run != null && playRun(run) && !done()) {
                    run = source.next();
                }
                if (call == null) {
                    return new IngestOutcome.Rejected(name, source.gaveUp() != null ? source.gaveUp() : stopRequested.get()
                            ? "stopped on request before any audio arrived" : "ended before any audio arrived");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRequested.set(true);
            } catch (CallRefusedException e) {
                source.interrupt();
                return new IngestOutcome.Rejected(name, e.getMessage());
            } catch (MediaException e) {
                source.interrupt();
                if (call == null) {
                    return new IngestOutcome.Rejected(name, e.getMessage());
                }
                warnings.add(e.getMessage() + "; the call was ended there");
            }
            return finish();
        }

        /** Decodes one run into the call; false when the call cannot go on (a change of format, Kafka refusing it). */
        private boolean playRun(StreamSource.Run run) throws MediaException, CallRefusedException {
            try (MediaReader.Pipe pipe = MediaReader.openPipe(options.audioTrack())) {
                Pump pump = Pump.start(run.bytes(), pipe.input(), callId);
                MediaReader reader;
                try {
                    reader = pipe.reader();
                } catch (MediaException e) {
                    String failure = pump.awaitFailure();
                    String why = failure != null ? failure : "it is not audio FFmpeg can decode: " + e.getMessage();
                    if (call == null) {
                        throw new MediaException(why);
                    }
                    warnings.add("at " + position() + " s: " + why + "; the stream went on after it");
                    return true;
                }
                try (reader) {
                    MediaReader.MediaFormat format = reader.format();
                    if (call == null) {
                        codec = format.codec();
                        call = open(format);
                        onNotice.accept(String.format(Locale.ROOT, "%s: %s %s, %d Hz, %d ch -> call %s", name,
                                source instanceof HlsSource hls ? (hls.ended() ? "HLS (VOD)" : "HLS (live)") : "live stream",
                                codec, format.sampleRate(), format.channels(), callId));
                    } else if (format.sampleRate() != call.format().sampleRate() || format.channels() != call.format().channels()) {
                        warnings.add(String.format(Locale.ROOT, "the stream changed from %d Hz, %d ch to %d Hz, %d ch at %s s;"
                                        + " the call ends there: ingest the stream again for what follows", call.format().sampleRate(),
                                call.format().channels(), format.sampleRate(), format.channels(), position()));
                        return false;
                    }
                    if (run.gapSeconds() > 0) {
                        skip(run);
                    }
                    read(reader);
                    framesSkipped += reader.framesSkipped();
                } catch (IOException e) {
                    warnings.add("the decoder failed at " + position() + " s (" + e.getMessage() + ")");
                }
                if (call.undeliverable() != null) {
                    return false;
                }
                String failure = pump.awaitFailure();
                if (failure != null && !done()) {
                    onNotice.accept(name + ": " + failure);
                }
                return true;
            }
        }

        /** Time was lost before this run: the call moves on by that much, and says so. */
        private void skip(StreamSource.Run run) {
            int rate = call.format().sampleRate();
            discontinuities++;
            lostSeconds += run.gapSeconds();
            onNotice.accept(String.format(Locale.ROOT, "%s: %s; %.1f s lost at %s s, recorded as a discontinuity",
                    name, run.description(), run.gapSeconds(), position()));
            call.skipTo(call.length() + Math.round(run.gapSeconds() * rate));
            metadata(Map.of("stream.discontinuities", Integer.toString(discontinuities),
                    "stream.lostSeconds", String.format(Locale.ROOT, "%.1f", lostSeconds)));
        }

        /** Reads one run's audio into the call until it ends, the call has enough, or a stop is requested. */
        private void read(MediaReader reader) throws IOException {
            int rate = call.format().sampleRate();
            int frames = CallChunker.samplesPerChunk(rate, options.chunkMs());
            long limit = settings.maxSeconds() == Double.POSITIVE_INFINITY ? Long.MAX_VALUE : Math.round(settings.maxSeconds() * rate);
            boolean pace = settings.realtime() && source instanceof HlsSource hls && hls.ended();
            for (byte[][] channels = reader.readChannels(frames); channels != null; channels = reader.readChannels(frames)) {
                long at = call.length();
                int samples = (int) Math.min(channels[0].length / 2, limit - at);
                for (int c = 0; c < channels.length; c++) {
                    call.appendTrack(c, channels[c], 0, samples * 2, at);
                }
                if (call.length() >= limit) {
                    enough.set(true);
                }
                if (pace) {
                    waitUntil(startNanos, call.length(), rate, this::done);
                }
                if (done() || call.undeliverable() != null) {
                    source.interrupt();
                    return;
                }
            }
        }

        private LiveCall open(MediaReader.MediaFormat format) throws CallRefusedException {
            CallIdentity identity = options.identity();
            CallFormat callFormat = new CallFormat(callId, format.sampleRate(), AudioEncoding.PCM_S16LE,
                    SpeakerRoles.forChannels(options.roles(), format.channels()), "url:" + name,
                    identity.withMetadata(merged(identity.metadata(), streamMetadata)));
            return calls.open(callFormat, reason -> requestStop());
        }

        /**
         * Metadata from the source (a title, the station's name) joins the call's: chunks from now on carry it. Called
         * by the thread that reads the source's bytes, and by this one.
         */
        synchronized void metadata(Map<String, String> update) {
            Map<String, String> changed = new LinkedHashMap<>(update);
            String title = update.get("icy.title");
            if (title != null) {
                onNotice.accept(name + ": now playing: " + (title.isBlank() ? "(no title)" : title));
                if (call != null) {
                    changed.put("icy.titleAtSeconds", position());
                }
            }
            streamMetadata = merged(streamMetadata, changed);
            if (call != null) {
                call.identify(call.format().identity().withMetadata(merged(options.identity().metadata(), streamMetadata)));
            }
        }

        private String position() {
            return call == null ? "0.0" : seconds(call.length(), call.format().sampleRate());
        }

        private IngestOutcome finish() {
            if (source.gaveUp() != null) {
                warnings.add(source.gaveUp() + "; the call was ended there");
            }
            if (call.undeliverable() != null) {
                warnings.add(call.undeliverable());
            }
            if (stopRequested.get()) {
                warnings.add("stopped on request after " + position() + " s; the call was ended there");
            }
            call.end();
            int rate = call.format().sampleRate();
            double audioSeconds = (double) call.length() / rate;
            String description = String.format(Locale.ROOT, "%d ch (%s), %d Hz %s stream, %.2f s, %d discontinuit%s%s, %d corrupt"
                            + " frame%s skipped", call.format().channels(), SpeakerRoles.describe(call.format().roles()), rate, codec,
                    audioSeconds, discontinuities, discontinuities == 1 ? "y" : "ies",
                    discontinuities == 0 ? "" : String.format(Locale.ROOT, " (%.1f s lost)", lostSeconds), framesSkipped,
                    framesSkipped == 1 ? "" : "s");
            return new IngestOutcome.Ingested(name, call.format().callId(), description, audioSeconds, call.chunksEmitted(),
                    List.copyOf(warnings), call.delivery());
        }
    }

    private static void waitUntil(long startNanos, long samples, int rate, BooleanSupplier done) {
        long deadline = startNanos + TimeUnit.SECONDS.toNanos(samples) / rate;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    /** Copies a run's bytes into its decoder on a thread of its own, and remembers why the bytes ended, if not cleanly. */
    private static final class Pump {
        private final Thread thread;
        private volatile String failure;

        private Pump(InputStream in, OutputStream out, String callId) {
            thread = new Thread(() -> {
                try (in; out) {
                    in.transferTo(out);
                } catch (SourceException e) {
                    failure = e.getMessage();
                } catch (IOException e) {
                    // The decoder stopped taking bytes (it ended or gave up), or the connection closed under a read.
                    failure = failure == null && e.getMessage() != null && !e.getMessage().contains("Broken pipe")
                            && !e.getMessage().contains("Stream closed") ? "the connection was lost (" + e.getMessage() + ")" : null;
                }
            }, "emostream-url-" + callId);
            thread.setDaemon(true);
        }

        static Pump start(InputStream in, OutputStream out, String callId) {
            Pump pump = new Pump(in, out, callId);
            pump.thread.start();
            return pump;
        }

        /** Waits for the bytes to end; why they ended, when it was not the source's clean end. */
        String awaitFailure() {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return failure;
        }
    }

    private static boolean isPlaylistType(String type) {
        return type.equals("application/vnd.apple.mpegurl") || type.equals("application/x-mpegurl") || type.equals("audio/mpegurl")
                || type.equals("audio/x-mpegurl") || type.equals("audio/x-scpls") || type.equals("application/pls+xml");
    }

    private static boolean isTextType(String type) {
        return type.startsWith("text/") || type.equals("application/json") || type.equals("application/xml")
                || type.equals("application/xhtml+xml");
    }

    private static Map<String, String> merged(Map<String, String> base, Map<String, String> update) {
        Map<String, String> all = new LinkedHashMap<>(base);
        all.putAll(update);
        return all;
    }

    private static String seconds(long samples, int rate) {
        return String.format(Locale.ROOT, "%.1f", (double) samples / rate);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
