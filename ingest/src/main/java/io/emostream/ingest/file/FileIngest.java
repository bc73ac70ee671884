package io.emostream.ingest.file;

import io.emostream.audio.wav.WavFormat;
import io.emostream.audio.wav.WavFormatException;
import io.emostream.audio.wav.WavReader;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.chunk.CallIds;
import io.emostream.ingest.chunk.SpeakerRoles;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.media.MediaException;
import io.emostream.ingest.media.MediaFiles;
import io.emostream.ingest.media.MediaReader;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Streams recordings into Kafka, one call per file, each channel its own speaker stream. WAV files are read by our
 * own reader; other audio and video files (mp3, m4a, ogg, opus, flac, mp4, mkv, webm, mov) are decoded by FFmpeg in a
 * child process ({@link MediaReader}). A file that cannot be
 * read is rejected with one sentence and the others still go through. With {@code realtime}, all files play at
 * once, each at its own speed, like concurrent live calls. {@link #requestStop()} (e.g. on Ctrl-C) ends every
 * call at the audio read so far.
 */
public final class FileIngest {
    /** The most recordings played at the same time in real-time mode; more wait for a free slot. */
    public static final int MAX_CONCURRENT_REALTIME = 1024;

    private final ChunkPublisher publisher;
    private final Options options;
    private final Consumer<IngestOutcome> onOutcome;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private volatile Progress progress = (input, seconds, totalSeconds) -> { };

    /** Told how far a recording has got, from the thread that ingests it, after every chunk. */
    @FunctionalInterface
    public interface Progress {
        /** @param totalSeconds the length the file declares; 0 when it declares none (a WAV written to a pipe) */
        void advanced(String input, double seconds, double totalSeconds);
    }

    /**
     * @param roles    role of channel 0, 1, ...; channels beyond the list are UNKNOWN
     * @param callId   the call id for a single input; null derives it from the file name
     * @param identity   who speaks on channel 0, 1, ... and the series, for every input
     * @param audioTrack which audio track of a media file to read, counting from 0 (WAV files have one)
     */
    public record Options(int chunkMs, boolean realtime, List<SpeakerRole> roles, String callId, CallIdentity identity,
                          int audioTrack) {
        public Options {
            CallChunker.requireValidChunkMs(chunkMs);
            roles = List.copyOf(roles);
            if (callId != null) {
                CallIds.requireValid(callId);
            }
            if (audioTrack < 0) {
                throw new InvalidInputException("the audio track counts from 0, so it cannot be " + audioTrack);
            }
        }

        public Options(int chunkMs, boolean realtime, List<SpeakerRole> roles, String callId, CallIdentity identity) {
            this(chunkMs, realtime, roles, callId, identity, 0);
        }

        public Options(int chunkMs, boolean realtime, List<SpeakerRole> roles, String callId) {
            this(chunkMs, realtime, roles, callId, CallIdentity.NONE);
        }
    }

    /** @param onOutcome told of every input as soon as it is done (from the thread that did it) */
    public FileIngest(ChunkPublisher publisher, Options options, Consumer<IngestOutcome> onOutcome) {
        this.publisher = publisher;
        this.options = options;
        this.onOutcome = onOutcome;
    }

    /** Reports every recording's progress to {@code progress} from now on; returns this ingest. */
    public FileIngest showingProgress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /** Ends every call at the audio read so far; outcomes say that they stopped early. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /**
     * Ingests every file given, and every audio or video file ({@link MediaFiles#EXTENSIONS}) under each directory given. Paths that cannot be used come first
     * in the returned outcomes, then the files in the order given.
     */
    public List<IngestOutcome> ingestPaths(List<Path> paths) {
        List<IngestOutcome> outcomes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path path : paths) {
            List<Path> found;
            if (Files.isDirectory(path)) {
                found = recordingsUnder(path);
                if (found.isEmpty()) {
                    outcomes.add(report(new IngestOutcome.Rejected(path.toString(), "contains no audio or video files"
                            + " (.wav, .mp3, .m4a, .ogg, .opus, .flac, .mp4, .mkv, .webm, .mov ...)")));
                }
            } else if (!Files.exists(path)) {
                outcomes.add(report(new IngestOutcome.Rejected(path.toString(), "no such file or directory")));
                found = List.of();
            } else {
                found = List.of(path);
            }
            for (Path file : found) {
                if (seen.add(file.toAbsolutePath().normalize())) {
                    files.add(file);
                } else {
                    outcomes.add(report(new IngestOutcome.Rejected(file.toString(), "is given more than once; it is ingested once")));
                }
            }
        }
        if (options.callId() != null && files.size() > 1) {
            throw new InvalidInputException("--call-id names one call, but " + files.size() + " files were given");
        }
        List<String> callIds = callIds(files);
        if (options.realtime() && files.size() > 1) {
            outcomes.addAll(concurrently(files, callIds));
        } else {
            for (int i = 0; i < files.size(); i++) {
                outcomes.add(ingestFile(files.get(i), callIds.get(i), Excerpt.WHOLE));
            }
        }
        return outcomes;
    }

    /**
     * Ingests the part of one recording from {@code startSeconds} to {@code endSeconds} (infinite: to its end) as call
     * {@code callId}: one labelled segment of a longer recording, say. A segment that starts after the audio ends is
     * rejected; one that ends after it is read to the end, with a warning.
     */
    public IngestOutcome ingestExcerpt(Path file, String callId, double startSeconds, double endSeconds) {
        if (!(startSeconds >= 0) || !(endSeconds > startSeconds)) {
            throw new IllegalArgumentException("An excerpt runs from 0 s or later to a later end, not from "
                    + startSeconds + " s to " + endSeconds + " s.");
        }
        CallIds.requireValid(callId);
        return ingestFile(file, callId, new Excerpt(startSeconds, endSeconds));
    }

    /** Where an excerpt starts and ends, in seconds; the whole file is {@link #WHOLE}. */
    private record Excerpt(double startSeconds, double endSeconds) {
        static final Excerpt WHOLE = new Excerpt(0, Double.POSITIVE_INFINITY);

        boolean whole() {
            return startSeconds == 0 && endSeconds == Double.POSITIVE_INFINITY;
        }

        /** A W3C media fragment ({@code #t=start,end}) naming the excerpt in the call's source. */
        String fragment() {
            return whole() ? "" : "#t=" + seconds(startSeconds) + (endSeconds == Double.POSITIVE_INFINITY ? "" : "," + seconds(endSeconds));
        }

        private static String seconds(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        }
    }

    /** Ingests one WAV stream, e.g. standard input; {@code name} is how messages refer to it. */
    public IngestOutcome ingestWavStream(String name, InputStream in, String callId, String source) {
        return report(ingestWav(name, in, callId, source, options.identity(), Excerpt.WHOLE));
    }

    /** Ingests headerless samples in a stated format, e.g. standard input. */
    public IngestOutcome ingestRawStream(String name, InputStream in, CallFormat format) {
        RawAudioReader reader = new RawAudioReader(in, format.channels(), format.bytesPerSample());
        RecordingIngest.Result result = recording(name, 0, format.sampleRate()).ingest(format, reader);
        List<String> warnings = reader.droppedBytes() == 0 ? List.of() : List.of("the stream ended inside a sample"
                + " frame; its last " + reader.droppedBytes() + " bytes were dropped");
        return report(outcome(name, result, format.encoding().name().toLowerCase(Locale.ROOT), warnings));
    }

    private List<IngestOutcome> concurrently(List<Path> files, List<String> callIds) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(files.size(), MAX_CONCURRENT_REALTIME));
        try {
            List<Future<IngestOutcome>> running = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                String callId = callIds.get(i);
                running.add(pool.submit(() -> ingestFile(file, callId, Excerpt.WHOLE)));
            }
            List<IngestOutcome> outcomes = new ArrayList<>();
            for (Future<IngestOutcome> outcome : running) {
                outcomes.add(outcome.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            requestStop();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while ingesting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Ingest failed unexpectedly", e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Ingests a recording fetched from elsewhere (behind a URL, a feed's episode) as call {@code callId}: {@code name}
     * is how messages refer to it (its URL), {@code source} and {@code identity} go on its chunks. WAV or any media
     * format, as for files; {@code mediaFile} says which reader, since a download's own name may not.
     */
    public IngestOutcome ingestFetched(Path file, boolean mediaFile, String name, String callId, String source,
                                       CallIdentity identity) {
        CallIds.requireValid(callId);
        return ingestFile(file, !mediaFile, name, callId, source, identity, Excerpt.WHOLE);
    }

    private IngestOutcome ingestFile(Path file, String callId, Excerpt excerpt) {
        return ingestFile(file, MediaFiles.isWav(file), file.toString(), callId, "file:" + file.getFileName() + excerpt.fragment(),
                options.identity(), excerpt);
    }

    private IngestOutcome ingestFile(Path file, boolean wav, String name, String callId, String source, CallIdentity identity,
                                     Excerpt excerpt) {
        if (!wav) {
            return report(ingestMedia(file, name, callId, source, identity, excerpt));
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return report(ingestWav(name, in, callId, source, identity, excerpt));
        } catch (AccessDeniedException e) {
            return report(new IngestOutcome.Rejected(name, "cannot be read: permission denied"));
        } catch (IOException e) {
            return report(new IngestOutcome.Rejected(name, "cannot be read (" + e.getMessage() + ")"));
        }
    }

    private IngestOutcome ingestWav(String name, InputStream in, String callId, String source, CallIdentity identity, Excerpt excerpt) {
        try {
            WavReader wav = WavReader.open(in);
            WavFormat wavFormat = wav.format();
            CallFormat format = new CallFormat(callId, wavFormat.sampleRate(), CallFormat.schemaEncoding(wavFormat.encoding()),
                    SpeakerRoles.forChannels(options.roles(), wavFormat.channels()), source, identity);
            if (excerpt.whole()) {
                double declared = wav.declaredFrames() < 0 ? 0 : (double) wav.declaredFrames() / wavFormat.sampleRate();
                RecordingIngest.Result result = recording(name, declared, wavFormat.sampleRate()).ingest(format, wav::readChannels);
                return outcome(name, result, wavFormat.sourceFormat(), wav.warnings());
            }
            return ingestPart(name, wav::readChannels, format, excerpt, wav::framesRead, wavFormat.sourceFormat(), wav::warnings);
        } catch (WavFormatException | InvalidInputException e) {
            return new IngestOutcome.Rejected(name, e.getMessage());
        } catch (IOException e) {
            return new IngestOutcome.Rejected(name, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** A media file through FFmpeg: the same calls as WAV, with what the decoder skipped or found cut short as warnings. */
    private IngestOutcome ingestMedia(Path file, String name, String callId, String source, CallIdentity identity, Excerpt excerpt) {
        if (!Files.isReadable(file)) {
            return new IngestOutcome.Rejected(name, "cannot be read: permission denied");
        }
        try (MediaReader media = MediaReader.open(file, options.audioTrack())) {
            MediaReader.MediaFormat mediaFormat = media.format();
            CallFormat format = new CallFormat(callId, mediaFormat.sampleRate(), AudioEncoding.PCM_S16LE,
                    SpeakerRoles.forChannels(options.roles(), mediaFormat.channels()), source, identity);
            String codec = mediaFormat.codec() + (options.audioTrack() == 0 ? "" : " (audio track " + options.audioTrack() + ")");
            if (excerpt.whole()) {
                RecordingIngest.Result result = recording(name, mediaFormat.declaredSeconds(), mediaFormat.sampleRate())
                        .ingest(format, media);
                return outcome(name, result, codec + ", " + media.framesSkipped() + " frames skipped", media.warnings());
            }
            return ingestPart(name, media, format, excerpt, media::framesRead, codec, media::warnings);
        } catch (MediaException | InvalidInputException e) {
            return new IngestOutcome.Rejected(name, e.getMessage());
        } catch (IOException e) {
            return new IngestOutcome.Rejected(name, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Skips to the excerpt's start, then ingests up to its end: the frames before it are read and dropped. */
    private IngestOutcome ingestPart(String name, ChannelReader reader, CallFormat format, Excerpt excerpt,
                                     LongSupplier framesRead, String sourceFormat, Supplier<List<String>> readerWarnings) throws IOException {
        int rate = format.sampleRate();
        int bytesPerSample = format.bytesPerSample();
        long skip = Math.round(excerpt.startSeconds() * rate);
        long skipped = 0;
        while (skipped < skip) {
            byte[][] dropped = reader.readChannels((int) Math.min(1 << 16, skip - skipped));
            if (dropped == null) {
                return new IngestOutcome.Rejected(name, String.format(Locale.ROOT, "is %.2f s long, so the segment"
                        + " starting at %.2f s holds no audio", (double) skipped / rate, excerpt.startSeconds()));
            }
            skipped += dropped[0].length / bytesPerSample;
        }
        long[] left = {excerpt.endSeconds() == Double.POSITIVE_INFINITY ? Long.MAX_VALUE
                : Math.round(excerpt.endSeconds() * rate) - skip};
        double partSeconds = excerpt.endSeconds() == Double.POSITIVE_INFINITY ? 0 : excerpt.endSeconds() - excerpt.startSeconds();
        RecordingIngest.Result result = recording(name, partSeconds, rate).ingest(format, maxFrames -> {
            if (left[0] <= 0) {
                return null;
            }
            byte[][] channels = reader.readChannels((int) Math.min(maxFrames, left[0]));
            if (channels != null) {
                left[0] -= channels[0].length / bytesPerSample;
            }
            return channels;
        });
        List<String> warnings = new ArrayList<>(readerWarnings.get());
        boolean toTheEnd = excerpt.endSeconds() == Double.POSITIVE_INFINITY;
        if (!toTheEnd && left[0] > 0 && result.failure() == null && !result.stopped()) {
            warnings.add(String.format(Locale.ROOT, "the segment ends at %.2f s, after the audio, which ends at %.2f s",
                    excerpt.endSeconds(), (double) framesRead.getAsLong() / rate));
        }
        return outcome(name, result, sourceFormat, warnings);
    }

    private RecordingIngest recording(String name, double totalSeconds, int sampleRate) {
        return new RecordingIngest(publisher, options.chunkMs(), options.realtime(), stopRequested::get,
                samples -> progress.advanced(name, (double) samples / sampleRate, totalSeconds));
    }

    private static IngestOutcome outcome(String name, RecordingIngest.Result result, String encoding, List<String> warnings) {
        CallFormat format = result.chunker().format();
        if (result.failure() != null) {
            String reason = "cannot be read (" + result.failure().getMessage() + ")";
            return new IngestOutcome.Rejected(name, result.chunker().samplesPerChannel() == 0 ? reason
                    : String.format(Locale.ROOT, "%s after %.2f s of audio; those were sent as call %s, which was ended there",
                            reason, result.seconds(), format.callId()));
        }
        List<String> allWarnings = new ArrayList<>(warnings);
        if (result.stopped()) {
            allWarnings.add(String.format(Locale.ROOT, "stopped on request after %.2f s; the call was ended there", result.seconds()));
        }
        String description = String.format(Locale.ROOT, "%d ch (%s), %d Hz %s, %.2f s", format.channels(),
                SpeakerRoles.describe(format.roles()), format.sampleRate(), encoding, result.seconds());
        return new IngestOutcome.Ingested(name, format.callId(), description, result.seconds(),
                result.chunker().chunksEmitted(), List.copyOf(allWarnings), result.delivery());
    }

    /** Call ids from file names, made unique within one run by a numeric suffix. */
    private List<String> callIds(List<Path> files) {
        List<String> ids = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Path file : files) {
            String base = options.callId() != null ? options.callId() : CallIds.fromFileName(file.getFileName().toString());
            String id = base;
            for (int n = 2; !taken.add(id); n++) {
                id = base + "-" + n;
            }
            ids.add(id);
        }
        return ids;
    }

    private static List<Path> recordingsUnder(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile)
                    .filter(MediaFiles::isRecording)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InvalidInputException("directory " + dir + " cannot be listed: " + e.getMessage(), e);
        }
    }

    private IngestOutcome report(IngestOutcome outcome) {
        onOutcome.accept(outcome);
        return outcome;
    }
}
