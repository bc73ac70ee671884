package io.emostream.ingest.file;

import io.emostream.audio.wav.WavFormat;
import io.emostream.audio.wav.WavFormatException;
import io.emostream.audio.wav.WavReader;
import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.chunk.CallIds;
import io.emostream.ingest.chunk.SpeakerRoles;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Streams WAV recordings into Kafka, one call per file, each channel its own speaker stream. A file that cannot be
 * read is rejected with one sentence and the others still go through. With {@code realtime}, all files play at
 * once, each at its own speed, like concurrent live calls.
 */
public final class FileIngest {
    /** The most recordings played at the same time in real-time mode; more wait for a free slot. */
    public static final int MAX_CONCURRENT_REALTIME = 1024;

    private final ChunkPublisher publisher;
    private final Options options;
    private final Consumer<IngestOutcome> onOutcome;

    /**
     * @param roles  role of channel 0, 1, ...; channels beyond the list are UNKNOWN
     * @param callId the call id for a single input; null derives it from the file name
     */
    public record Options(int chunkMs, boolean realtime, List<SpeakerRole> roles, String callId) {
        public Options {
            if (chunkMs < 10 || chunkMs > 1000) {
                throw new IllegalArgumentException("chunk length " + chunkMs + " ms is outside 10..1000 ms");
            }
            roles = List.copyOf(roles);
            if (callId != null) {
                CallIds.requireValid(callId);
            }
        }
    }

    /** @param onOutcome told of every input as soon as it is done (from the thread that did it) */
    public FileIngest(ChunkPublisher publisher, Options options, Consumer<IngestOutcome> onOutcome) {
        this.publisher = publisher;
        this.options = options;
        this.onOutcome = onOutcome;
    }

    /** Ingests every WAV file given, and every .wav under each directory given; returns outcomes in input order. */
    public List<IngestOutcome> ingestPaths(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        List<IngestOutcome> outcomes = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                List<Path> found = wavFilesUnder(path);
                if (found.isEmpty()) {
                    outcomes.add(report(new IngestOutcome.Rejected(path.toString(), "contains no .wav files")));
                }
                files.addAll(found);
            } else if (!Files.exists(path)) {
                outcomes.add(report(new IngestOutcome.Rejected(path.toString(), "no such file or directory")));
            } else {
                files.add(path);
            }
        }
        if (options.callId() != null && files.size() > 1) {
            throw new IllegalArgumentException("--call-id names one call, but " + files.size() + " files were given");
        }
        Map<Path, String> callIds = callIds(files);
        if (options.realtime() && files.size() > 1) {
            outcomes.addAll(concurrently(files, callIds));
        } else {
            files.forEach(file -> outcomes.add(ingestFile(file, callIds.get(file))));
        }
        return outcomes;
    }

    /** Ingests one WAV stream, e.g. standard input; {@code name} is how messages refer to it. */
    public IngestOutcome ingestWavStream(String name, InputStream in, String callId, String source) {
        return report(ingestWav(name, in, callId, source));
    }

    /** Ingests headerless samples in a stated format, e.g. standard input. */
    public IngestOutcome ingestRawStream(String name, InputStream in, CallFormat format) {
        RawAudioReader reader = new RawAudioReader(in, format.channels(), format.bytesPerSample());
        try {
            CallChunker chunker = new RecordingIngest(publisher, options.chunkMs(), options.realtime()).ingest(format, reader);
            List<String> warnings = reader.droppedBytes() == 0 ? List.of() : List.of("the stream ended inside a sample"
                    + " frame; its last " + reader.droppedBytes() + " bytes were dropped");
            return report(ingested(name, format, chunker, format.encoding().name().toLowerCase(Locale.ROOT), warnings));
        } catch (IOException e) {
            return report(new IngestOutcome.Rejected(name, "could not be read (" + e.getMessage() + ")"));
        }
    }

    private List<IngestOutcome> concurrently(List<Path> files, Map<Path, String> callIds) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(files.size(), MAX_CONCURRENT_REALTIME));
        try {
            List<Future<IngestOutcome>> running = new ArrayList<>();
            files.forEach(file -> running.add(pool.submit(() -> ingestFile(file, callIds.get(file)))));
            List<IngestOutcome> outcomes = new ArrayList<>();
            for (Future<IngestOutcome> outcome : running) {
                outcomes.add(outcome.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while ingesting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Ingest failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private IngestOutcome ingestFile(Path file, String callId) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return report(ingestWav(file.toString(), in, callId, "file:" + file.getFileName()));
        } catch (IOException e) {
            return report(new IngestOutcome.Rejected(file.toString(), "could not be read (" + e.getMessage() + ")"));
        }
    }

    private IngestOutcome ingestWav(String name, InputStream in, String callId, String source) {
        try {
            WavReader wav = WavReader.open(in);
            WavFormat wavFormat = wav.format();
            List<SpeakerRole> roles = SpeakerRoles.forChannels(options.roles(), wavFormat.channels());
            CallFormat format = new CallFormat(callId, wavFormat.sampleRate(),
                    AudioEncoding.valueOf(wavFormat.encoding().name()), roles, source);
            CallChunker chunker = new RecordingIngest(publisher, options.chunkMs(), options.realtime())
                    .ingest(format, wav::readChannels);
            return ingested(name, format, chunker, wavFormat.sourceFormat(), wav.warnings());
        } catch (WavFormatException e) {
            return new IngestOutcome.Rejected(name, e.getMessage());
        } catch (IOException e) {
            return new IngestOutcome.Rejected(name, "could not be read (" + e.getMessage() + ")");
        }
    }

    private static IngestOutcome ingested(String name, CallFormat format, CallChunker chunker, String encoding,
                                          List<String> warnings) {
        double seconds = (double) chunker.samplesPerChannel() / format.sampleRate();
        String description = String.format(Locale.ROOT, "%d ch (%s), %d Hz %s, %.2f s", format.channels(),
                SpeakerRoles.describe(format.roles()), format.sampleRate(), encoding, seconds);
        return new IngestOutcome.Ingested(name, format.callId(), description, seconds, chunker.chunksEmitted(),
                List.copyOf(warnings));
    }

    /** Call ids from file names, made unique within one run by a numeric suffix. */
    private Map<Path, String> callIds(List<Path> files) {
        Map<Path, String> ids = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Path file : files) {
            String base = options.callId() != null ? options.callId() : CallIds.fromFileName(file.getFileName().toString());
            int n = seen.merge(base, 1, Integer::sum);
            ids.put(file, n == 1 ? base : base + "-" + n);
        }
        return ids;
    }

    private static List<Path> wavFilesUnder(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("directory " + dir + " cannot be listed: " + e.getMessage(), e);
        }
    }

    private IngestOutcome report(IngestOutcome outcome) {
        onOutcome.accept(outcome);
        return outcome;
    }
}
