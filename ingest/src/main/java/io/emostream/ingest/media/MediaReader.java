package io.emostream.ingest.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.ingest.chunk.Interleaving;
import io.emostream.ingest.file.ChannelReader;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A media file (mp3, m4a, ogg, opus, flac, or the audio of an mp4/mkv/webm/mov video) read as 16-bit PCM, one array
 * per channel, like the WAV reader. FFmpeg runs in a child JVM ({@link MediaDecoder}), so a native crash on a bad
 * file ends that process alone: this reader then fails with one sentence naming the file.
 */
public final class MediaReader implements ChannelReader, Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BYTES_PER_SAMPLE = 2;

    private final Process child;
    private final InputStream pcm;
    private final CompletableFuture<String> stderr;
    private final MediaFormat format;
    private final List<String> warnings = new ArrayList<>();
    private byte[] buffer = new byte[0];
    private long framesRead;
    private long framesSkipped;
    private double decodeCpuSeconds;
    private boolean ended;

    /**
     * The codec and layout of the track being read.
     *
     * @param declaredSeconds the length the file declares (its container's or track's duration), 0 when unknown
     */
    public record MediaFormat(String codec, int sampleRate, int channels, int track, double declaredSeconds) {
    }

    private MediaReader(Process child, InputStream pcm, CompletableFuture<String> stderr, MediaFormat format) {
        this.child = child;
        this.pcm = pcm;
        this.stderr = stderr;
        this.format = format;
    }

    /**
     * Starts decoding audio track {@code track} (counting audio tracks from 0) of {@code file}.
     *
     * @throws MediaException with the reason, when the file cannot be decoded at all
     */
    public static MediaReader open(Path file, int track) throws MediaException {
        return open(file, track, List.of());
    }

    /** As {@link #open(Path, int)}, with extra JVM options for the child (tests use them to make it fail). */
    static MediaReader open(Path file, int track, List<String> childJvmOptions) throws MediaException {
        Process child = start(file.toAbsolutePath().toString(), track, childJvmOptions, false);
        return withHeader(child, track);
    }

    /**
     * Starts decoding a stream whose bytes the caller writes to {@link Pipe#input()} as they arrive (a live HTTP
     * stream, HLS segments one after another); {@link Pipe#reader()} then reads its audio as it is decoded.
     */
    public static Pipe openPipe(int track) throws MediaException {
        return new Pipe(start(MediaDecoder.STANDARD_INPUT, track, List.of(), true), track);
    }

    /**
     * A stream being decoded: one thread writes its bytes to {@link #input()} and closes it at the stream's end, another
     * reads the audio. Closing the pipe stops the decoder.
     */
    public static final class Pipe implements Closeable {
        private final Process child;
        private final int track;

        private Pipe(Process child, int track) {
            this.child = child;
            this.track = track;
        }

        /** Where the stream's bytes go; a write fails once the decoder has given up on them. */
        public OutputStream input() {
            return child.getOutputStream();
        }

        /**
         * Waits until the decoder has made out the stream's format (it needs the first bytes for that), then reads
         * its audio.
         *
         * @throws MediaException with the reason, when the bytes are not audio FFmpeg can decode
         */
        public MediaReader reader() throws MediaException {
            return withHeader(child, track);
        }

        @Override
        public void close() {
            child.destroyForcibly();
        }
    }

    private static Process start(String input, int track, List<String> childJvmOptions, boolean pipe) throws MediaException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A small heap, the serial collector, the quick compiler. The heap starts small: the first heap is otherwise
        // 128 MiB, and its young part is touched whole before the first collection, about 30 MiB more resident memory
        // per decoder (109 against 78 MiB at its peak, measured on a 60 s MP3); one live stream is one decoder.
        command.addAll(List.of("-Xms8m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(childJvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MediaDecoder.class.getName(), input,
                Integer.toString(track)));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (!pipe) {
                builder.redirectInput(ProcessBuilder.Redirect.DISCARD.file());
            }
            return builder.start();
        } catch (IOException e) {
            throw new MediaException("the media decoder could not be started (" + e.getMessage() + ")");
        }
    }

    /** Reads the child's first line, the format of what it decodes, or fails with the reason it gave instead. */
    private static MediaReader withHeader(Process child, int track) throws MediaException {
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(child.getErrorStream()));
        InputStream pcm = new BufferedInputStream(child.getInputStream(), 1 << 16);
        try {
            String header = readLine(pcm);
            if (header == null) {
                throw new MediaException(failure(child, stderr));
            }
            JsonNode json = JSON.readTree(header);
            MediaFormat format = new MediaFormat(json.path("codec").asText(), json.path("sampleRate").asInt(),
                    json.path("channels").asInt(), track, json.path("seconds").asDouble());
            return new MediaReader(child, pcm, stderr, format);
        } catch (IOException e) {
            // A first line that is not the header (a JVM that could not start writes its error there): the child is
            // ending on its own, so its exit status is read before it is stopped, not made up by stopping it.
            closeQuietly(pcm);
            String why = failure(child, stderr);
            child.destroyForcibly();
            throw new MediaException(why);
        } catch (MediaException e) {
            child.destroyForcibly();
            throw e;
        }
    }

    public MediaFormat format() {
        return format;
    }

    @Override
    public byte[][] readChannels(int maxFrames) throws IOException {
        if (ended) {
            return null;
        }
        int frameBytes = format.channels() * BYTES_PER_SAMPLE;
        if (buffer.length < maxFrames * frameBytes) {
            buffer = new byte[maxFrames * frameBytes];
        }
        int filled = pcm.readNBytes(buffer, 0, maxFrames * frameBytes);
        int frames = filled / frameBytes;
        framesRead += frames;
        if (filled < maxFrames * frameBytes) {
            finish();
        }
        return frames == 0 ? null : Interleaving.split(buffer, 0, frames, format.channels(), BYTES_PER_SAMPLE);
    }

    /** Reads the child's summary once its samples ended; a child that did not finish properly is a read error. */
    private void finish() throws IOException {
        ended = true;
        JsonNode summary = summary(child, stderr);
        if (summary == null || summary.has("error")) {
            throw new IOException(summary == null ? failure(child, stderr) : summary.get("error").asText());
        }
        framesSkipped = summary.path("framesSkipped").asLong();
        decodeCpuSeconds = summary.path("decodeCpuSeconds").asDouble();
        summary.path("warnings").forEach(w -> warnings.add(w.asText()));
        if (framesSkipped > 0) {
            warnings.add(0, framesSkipped + " corrupt " + format.codec() + " frame" + (framesSkipped == 1 ? " was" : "s were")
                    + " skipped (replaced by silence where their length was known)");
        }
    }

    /** Audio frames (one sample per channel) read so far. */
    public long framesRead() {
        return framesRead;
    }

    /** Corrupt codec frames the decoder skipped; known once the end was read. */
    public long framesSkipped() {
        return framesSkipped;
    }

    /** What went wrong but was decoded around (corrupt frames, a file cut short); known once the end was read. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** CPU time the decoder spent on the packets (not its start), for {@link DecodeBenchmark}; known once the end was read. */
    double decodeCpuSeconds() {
        return decodeCpuSeconds;
    }

    /** The decoder process, for tests that stop it the way a crash would. */
    ProcessHandle decoder() {
        return child.toHandle();
    }

    @Override
    public void close() {
        child.destroyForcibly();
    }

    /** The child's closing line, or null when it never wrote one (it crashed or was killed). */
    private static JsonNode summary(Process child, CompletableFuture<String> stderr) {
        try {
            child.waitFor(30, TimeUnit.SECONDS);
            String text = stderr.get(30, TimeUnit.SECONDS);
            String last = text.lines().filter(l -> l.startsWith(MediaDecoder.SUMMARY_PREFIX)).reduce((a, b) -> b).orElse(null);
            return last == null ? null : JSON.readTree(last.substring(MediaDecoder.SUMMARY_PREFIX.length()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /** One sentence for a child that gave no header: its own reason, or how it died. */
    private static String failure(Process child, CompletableFuture<String> stderr) {
        JsonNode summary = summary(child, stderr);
        if (summary != null && summary.has("error")) {
            return summary.get("error").asText();
        }
        String how = child.isAlive() ? "did not finish" : "stopped with exit status " + child.exitValue()
                + (child.exitValue() > 128 ? " (signal " + (child.exitValue() - 128) + ")" : "");
        return "the media decoder (FFmpeg, in a process of its own) " + how + " while reading it; this is a bug in"
                + " emostream or FFmpeg: please report it with the file";
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() > 4096) {
                return null;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Only the child's exit status matters now.
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
