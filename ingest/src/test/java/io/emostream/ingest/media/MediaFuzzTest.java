package io.emostream.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder path on damaged files: variants of every media fixture, mutated from a fixed seed, each read to its end
 * by a real {@link MediaReader} (FFmpeg in its child JVM). Each must decode, maybe with warnings, or be refused with
 * one sentence naming the reason; never crash the decoder, never hang, and this JVM goes on.
 *
 * <p>A bigger run: {@code -Demostream.fuzz.count=1000 -Demostream.fuzz.seed=7}. Variant {@code i} of a seed is always
 * the same bytes, so a failure names what to rerun.
 */
class MediaFuzzTest {
    private static final Path MEDIA = Path.of(System.getProperty("emostream.media.fixtures"));
    /** Each variant starts a decoder JVM (about half a second): 28 meet each mutation four times in about 15 s. */
    private static final int COUNT = Integer.getInteger("emostream.fuzz.count", 28);
    private static final long SEED = Long.getLong("emostream.fuzz.seed", 16);
    private static final long VARIANT_SECONDS = 30;
    /** The longest fixture holds 4.85 s of audio (make-media-fixtures.sh); damage may add a little, never minutes of silence. */
    private static final double MOST_SECONDS = 2 * 4.85;
    /** What MediaReader says of a decoder that crashed or did not finish. */
    private static final String CRASHED = "this is a bug in emostream or FFmpeg";

    @TempDir
    Path tmp;

    /** One way to damage a file; {@code random} is the variant's own. */
    private enum Mutation {
        BYTE_FLIPS {
            @Override
            byte[] apply(byte[] file, Random random, StringBuilder what) {
                byte[] out = file.clone();
                int flips = 1 + random.nextInt(24);
                for (int i = 0; i < flips; i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
                }
                what.append(flips).append(" bytes flipped");
                return out;
            }
        },
        RANDOM_RANGE {
            @Override
            byte[] apply(byte[] file, Random random, StringBuilder what) {
                byte[] out = file.clone();
                int[] range = range(file.length, random, what, "random");
                byte[] noise = new byte[range[1] - range[0]];
                random.nextBytes(noise);
                System.arraycopy(noise, 0, out, range[0], noise.length);
                return out;
            }
        },
        ZEROED_RANGE {
            @Override
            byte[] apply(byte[] file, Random random, StringBuilder what) {
                byte[] out = file.clone();
                int[] range = range(file.length, random, what, "zeroed");
                Arrays.fill(out, range[0], range[1], (byte) 0);
                return out;
            }
        },
        DELETED_RANGE {
            @Override
            byte[] apply(byte[] file, Random random, StringBuilder what) {
                int[] range = range(file.length, random, what, "deleted");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(file, 0, range[0]);
                out.write(file, range[1], file.length - range[1]);
                return out.toByteArray();
            }
        },
        DUPLICATED_RANGE {
            @Override
            byte[] apply(byte[] file, Random random, StringBuilder what) {
                int[] range = range(file.length, random, what, "duplicated");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(file, 0, range[1]);
                out.write(file, range[0], file.length - range[0]);
                return out.toByteArray();
            }
        },
        TRUNCATED {
            @Override
            byte[] apply(byte[] file, Random random, StringBuilder what) {
                int length = random.nextInt(file.length);
                what.append("cut to ").append(length).append(" bytes");
                return Arrays.copyOf(file, length);
            }
        },
        /** Where containers keep what they declare (streams, codecs, durations); a .mov keeps its index at the end, though. */
        CORRUPT_HEADER {
            @Override
            byte[] apply(byte[] file, Random random, StringBuilder what) {
                byte[] out = file.clone();
                int header = Math.min(out.length, 512);
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    out[random.nextInt(header)] = (byte) random.nextInt(256);
                }
                what.append(flips).append(" bytes of the first ").append(header).append(" overwritten");
                return out;
            }
        };

        abstract byte[] apply(byte[] file, Random random, StringBuilder what);

        /** A range of 1 byte to 4 KB (at most a quarter of the file), anywhere in it: {from, to}. */
        private static int[] range(int length, Random random, StringBuilder what, String done) {
            int size = 1 + random.nextInt(Math.max(1, Math.min(4096, length / 4)));
            int from = random.nextInt(length - size + 1);
            what.append("bytes ").append(from).append('-').append(from + size).append(' ').append(done);
            return new int[] {from, from + size};
        }
    }

    /** How one variant ended: decoded, refused with {@code reason}, or a failure of the decoder path ({@code problem}). */
    private record Outcome(List<String> warnings, String reason, String problem) {
        static Outcome decoded(List<String> warnings) {
            return new Outcome(warnings, null, null);
        }

        static Outcome refused(String reason) {
            return new Outcome(List.of(), reason, null);
        }

        static Outcome problem(String problem) {
            return new Outcome(List.of(), null, problem);
        }
    }

    @Test
    void damagedFilesDecodeOrAreRefusedWithOneSentenceAndNeverCrashOrHangTheDecoder() throws Exception {
        List<Path> fixtures;
        try (Stream<Path> files = Files.list(MEDIA)) {
            fixtures = files.filter(Files::isRegularFile).filter(MediaFiles::isRecording).sorted().toList();
        }
        assertThat(fixtures).hasSizeGreaterThanOrEqualTo(12);
        Mutation[] mutations = Mutation.values();
        int decoded = 0;
        int withWarnings = 0;
        Map<String, Integer> refusals = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        long started = System.nanoTime();
        ExecutorService reading = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < COUNT; i++) {
                // Coprime counts: every (fixture, mutation) pair comes up within fixtures × mutations variants.
                Path fixture = fixtures.get(i % fixtures.size());
                Mutation mutation = mutations[i % mutations.length];
                StringBuilder what = new StringBuilder();
                byte[] bytes = mutation.apply(Files.readAllBytes(fixture), new Random(SEED * 1_000_003L + i), what);
                String name = fixture.getFileName().toString();
                Path variant = Files.write(tmp.resolve(i + "-" + name), bytes);
                String label = String.format(Locale.ROOT, "variant %d of seed %d (%s, %s)", i, SEED, name, what);

                Outcome outcome = decodeBounded(reading, variant);
                Files.delete(variant);
                if (outcome.problem() != null) {
                    problems.add(label + ": " + outcome.problem());
                } else if (outcome.reason() != null) {
                    refusals.merge(kind(outcome.reason()), 1, Integer::sum);
                } else if (outcome.warnings().isEmpty()) {
                    decoded++;
                } else {
                    withWarnings++;
                }
                // A new reader thread after a hang: the old one may still be stuck in a read.
                if (outcome.problem() != null && outcome.problem().startsWith("hung")) {
                    reading.shutdownNow();
                    reading = Executors.newSingleThreadExecutor();
                }
            }
        } finally {
            reading.shutdownNow();
        }
        int refused = refusals.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(Locale.ROOT, "Media fuzz, seed %d: %d variants of %d fixtures in %.1f s: %d decoded, %d decoded with"
                        + " warnings, %d refused with a reason %s, %d failed%n", SEED, COUNT, fixtures.size(),
                (System.nanoTime() - started) / 1e9, decoded, withWarnings, refused, refusals, problems.size());

        assertThat(problems).as("variants whose decoding crashed, hung or said no clear sentence").isEmpty();
        // This JVM goes on: an undamaged file still decodes, to the sample.
        try (MediaReader reader = MediaReader.open(MEDIA.resolve("podcast-mono-16k.flac"), 0)) {
            assertThat(readToTheEnd(reader)).isEqualTo(69732);
        }
    }

    @Test
    void aTrackWhoseCodecFieldIsDamagedSaysSoRatherThanBlameTheBuild() throws Exception {
        byte[] m4a = Files.readAllBytes(MEDIA.resolve("podcast-mono-16k.m4a"));
        String text = new String(m4a, StandardCharsets.ISO_8859_1);
        // The sample entry's type and the esds object type (0x40, AAC) are what name the codec: both damaged.
        int entry = text.indexOf("mp4a");
        int objectType = text.indexOf("esds") + 21;
        assertThat(m4a[objectType]).isEqualTo((byte) 0x40);
        m4a[entry] = 'x';
        m4a[objectType] = (byte) 0xFE;
        Path damaged = Files.write(tmp.resolve("damaged.m4a"), m4a);

        assertThatThrownBy(() -> MediaReader.open(damaged, 0)).isInstanceOf(MediaException.class)
                .hasMessage("its audio track names no codec FFmpeg knows: the file is probably damaged");
    }

    /** Opens and reads {@code file} to its end on the reading thread, for at most {@link #VARIANT_SECONDS}. */
    private static Outcome decodeBounded(ExecutorService reading, Path file) throws InterruptedException {
        Future<Outcome> decoding = reading.submit(() -> decode(file));
        try {
            return decoding.get(VARIANT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            stopDecoderOf(file);
            decoding.cancel(true);
            return Outcome.problem("hung: not decoded or refused within " + VARIANT_SECONDS + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            return Outcome.problem("threw " + e.getCause());
        }
    }

    /**
     * Ends the decoder of {@code file}, which ends a read stuck on its output. It is found by its command line in /proc:
     * the reader may not be back from open() to be closed, and ProcessHandle.descendants() finds no children on some
     * Linux hosts (it checks their start times).
     */
    private static void stopDecoderOf(Path file) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return Arrays.asList(Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1).split("\0"))
                            .contains(file.toString());
                } catch (IOException ended) {
                    return false;
                }
            }).forEach(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Outcome decode(Path file) {
        MediaReader reader;
        try {
            reader = MediaReader.open(file, 0);
        } catch (MediaException e) {
            return judgeRefusal(e.getMessage());
        }
        try (reader) {
            MediaReader.MediaFormat format = reader.format();
            if (format.channels() < 1 || format.sampleRate() < 1 || format.codec().isBlank()) {
                return Outcome.problem("decoded with a format that cannot be: " + format);
            }
            long frames = readToTheEnd(reader);
            if ((double) frames / format.sampleRate() > MOST_SECONDS) {
                return Outcome.problem(String.format(Locale.ROOT, "decoded to %.1f s, more than twice the longest fixture",
                        (double) frames / format.sampleRate()));
            }
            for (String warning : reader.warnings()) {
                if (warning.isBlank() || warning.contains("\n")) {
                    return Outcome.problem("a warning that is not one line: '" + warning + "'");
                }
            }
            return Outcome.decoded(reader.warnings());
        } catch (IOException e) {
            return judgeRefusal(e.getMessage());
        }
    }

    private static long readToTheEnd(MediaReader reader) throws IOException {
        long frames = 0;
        for (byte[][] chunk = reader.readChannels(4096); chunk != null; chunk = reader.readChannels(4096)) {
            frames += chunk[0].length / 2;
        }
        return frames;
    }

    /** A refusal is fine when it is one line of the decoder's own words, not the crash report nor a Java exception. */
    private static Outcome judgeRefusal(String message) {
        if (message == null || message.isBlank() || message.contains("\n")) {
            return Outcome.problem("refused without a one-line reason: '" + message + "'");
        }
        if (message.contains(CRASHED)) {
            return Outcome.problem("the decoder crashed: '" + message + "'");
        }
        if (message.contains("Exception") || message.contains("Error:")) {
            return Outcome.problem("refused with a Java error, not a reason: '" + message + "'");
        }
        return Outcome.refused(message);
    }

    /** A reason without its particulars (FFmpeg's error text, counts), for the tally. */
    private static String kind(String reason) {
        int detail = reason.indexOf(" (");
        return (detail < 0 ? reason : reason.substring(0, detail)).replaceAll("\\d+", "N");
    }
}
