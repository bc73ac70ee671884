package io.emostream.ingest.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What decoding a media file costs, in audio-seconds per CPU-second: of the decoder process as a whole (its JVM start,
 * FFmpeg's loading, the decoding and its exit), and of the decoding alone (the child's own count for its packets).
 * Each run reads the file to its end through {@link MediaReader}, as ingest does.
 */
public final class DecodeBenchmark {
    /** Linux reports CPU time of reaped children in clock ticks of 1/100 s (USER_HZ, fixed for user space). */
    private static final double TICKS_PER_SECOND = 100;

    /** One decoding of the whole file. */
    public record Run(double audioSeconds, double processCpuSeconds, double decodeCpuSeconds) {
        public double processAudioSecondsPerCpuSecond() {
            return audioSeconds / processCpuSeconds;
        }

        public double decodeAudioSecondsPerCpuSecond() {
            return audioSeconds / decodeCpuSeconds;
        }
    }

    /** The file's track 0 and the timed runs. */
    public record Result(MediaReader.MediaFormat format, double audioSeconds, List<Run> runs) {
    }

    private DecodeBenchmark() {
    }

    /**
     * Decodes {@code file} {@code warmups} times untimed (to warm the disk cache), then {@code runs} times timed. No
     * other child process of this JVM may end meanwhile: the decoder's CPU time is read from what Linux adds up for
     * this process's finished children.
     *
     * @throws MediaException with the reason, when the file cannot be decoded
     */
    public static Result measure(Path file, int warmups, int runs) throws MediaException, IOException {
        List<Run> measured = new ArrayList<>();
        MediaReader.MediaFormat format = null;
        for (int i = 0; i < warmups + runs; i++) {
            double childrenBefore = childrenCpuSeconds();
            long frames = 0;
            double decodeCpu;
            try (MediaReader reader = MediaReader.open(file, 0)) {
                format = reader.format();
                for (byte[][] chunk = reader.readChannels(8192); chunk != null; chunk = reader.readChannels(8192)) {
                    frames += chunk[0].length / 2;
                }
                decodeCpu = reader.decodeCpuSeconds();
            }
            // Reading to the end waited for the decoder to exit, so its CPU time is now counted among the children's.
            double processCpu = childrenCpuSeconds() - childrenBefore;
            if (i >= warmups) {
                measured.add(new Run((double) frames / format.sampleRate(), processCpu, decodeCpu));
            }
        }
        return new Result(format, measured.isEmpty() ? 0 : measured.get(0).audioSeconds(), List.copyOf(measured));
    }

    /** User and system CPU of this process's children that have ended and been waited for (cutime, cstime). */
    public static double childrenCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // Fields from the third on follow the command name in parentheses, which may itself hold spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3])) / TICKS_PER_SECOND;
    }
}
