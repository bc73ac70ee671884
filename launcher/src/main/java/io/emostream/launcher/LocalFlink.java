package io.emostream.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The local Flink cluster the launcher's commands run the job on: one slot per core, and checkpoints written to a
 * temporary directory. Flink's default keeps checkpoints in the JobManager's memory and fails any over 5 MB per
 * state, which the audio of a few hundred open utterances passes.
 */
public final class LocalFlink {
    private LocalFlink() {
    }

    /**
     * @param restartStrategy Flink's name for it: "none" where a failure should end the command, "fixed-delay" for
     *                        the demo, which should carry on
     */
    public static StreamExecutionEnvironment environment(String restartStrategy) {
        return environment(restartStrategy, new Configuration());
    }

    /** The same, with more of Flink's configuration (e.g. a metric reporter). */
    public static StreamExecutionEnvironment environment(String restartStrategy, Configuration conf) {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, restartStrategy);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDirectory().toUri().toString());
        return StreamExecutionEnvironment.createLocalEnvironment(Math.max(1, Runtime.getRuntime().availableProcessors()), conf);
    }

    /** A fresh directory, removed when the JVM exits (Flink deletes each checkpoint it no longer needs). */
    private static Path checkpointDirectory() {
        try {
            Path directory = Files.createTempDirectory("emostream-checkpoints");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(directory), "emostream-checkpoints-cleanup"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("No temporary directory for the job's checkpoints", e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Left for the system's temporary-file cleaning.
        }
    }
}
