package io.emostream.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
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
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, restartStrategy);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDirectory().toUri().toString());
        return StreamExecutionEnvironment.createLocalEnvironment(cores(), conf);
    }

    /**
     * A local cluster that outlives its jobs, like a session cluster: jobs submitted one after another run in the
     * same TaskManager. {@link #environment} builds a fresh cluster per job instead, which loads Flink's RPC system
     * anew each time (some 1,400 classes in a class loader of its own) for the JIT compiler to compile again.
     */
    public static final class Session implements AutoCloseable {
        private final MiniCluster cluster;
        private final URI rest;
        private final Configuration conf;

        private Session(MiniCluster cluster, URI rest, Configuration conf) {
            this.cluster = cluster;
            this.rest = rest;
            this.conf = conf;
        }

        /** An environment whose jobs run on this cluster, one slot per core, restarted by {@code restartStrategy}. */
        public StreamExecutionEnvironment environment(String restartStrategy) {
            Configuration job = new Configuration(conf);
            job.set(RestartStrategyOptions.RESTART_STRATEGY, restartStrategy);
            // No jar: the job's classes are on this JVM's class path, which the cluster's TaskManager shares.
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort(), job);
            env.setParallelism(cores());
            return env;
        }

        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }

    /** Starts a {@link Session} with one slot per core and {@code extra} in the cluster's configuration. */
    public static Session session(Configuration extra) throws Exception {
        Configuration conf = new Configuration(extra);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDirectory().toUri().toString());
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(RestOptions.BIND_PORT, "0");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(cores()).build());
        try {
            cluster.start();
            return new Session(cluster, cluster.getRestAddress().get(60, TimeUnit.SECONDS), conf);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    private static int cores() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
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
