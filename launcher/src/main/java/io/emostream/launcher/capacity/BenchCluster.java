package io.emostream.launcher.capacity;

import io.emostream.launcher.LocalFlink;
import io.emostream.launcher.RemoteFlink;
import java.util.function.LongSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Where the benchmark's jobs run, and how each job's consumer lag is read there. */
public interface BenchCluster extends AutoCloseable {

    /** A fresh environment for one run's job. */
    StreamExecutionEnvironment environment();

    /** Submits the job {@code env} holds. */
    default JobClient submit(StreamExecutionEnvironment env, String jobName) throws Exception {
        return env.executeAsync(jobName);
    }

    /** The job's consumer lag in ms at the moment it is asked, or -1 while it is not known. */
    LongSupplier lag(JobClient job);

    /** Whether the job's threads and heap are this process's, so that CPU per stage and heap per stream can be read. */
    boolean inThisProcess();

    /**
     * A local cluster in this process that outlives its jobs ({@link LocalFlink.Session}); the lag comes from the
     * Kafka source's own metric through the {@link SourceLag} reporter, exact at any moment.
     */
    static BenchCluster local() throws Exception {
        Configuration reporter = new Configuration();
        reporter.setString("metrics.reporter." + SourceLag.REPORTER + ".factory.class", SourceLag.Factory.class.getName());
        LocalFlink.Session session = LocalFlink.session(reporter);
        return new BenchCluster() {
            @Override
            public StreamExecutionEnvironment environment() {
                return session.environment("none");
            }

            @Override
            public LongSupplier lag(JobClient job) {
                return SourceLag::nowMs;
            }

            @Override
            public boolean inThisProcess() {
                return true;
            }

            @Override
            public void close() throws Exception {
                session.close();
            }
        };
    }

    /**
     * A cluster elsewhere, reached through its REST endpoint; the lag is the same metric read through the REST API,
     * which the JobManager refreshes every {@code metrics.fetcher.update-interval} (10 s by default).
     */
    static BenchCluster remote(RemoteFlink cluster) {
        return new BenchCluster() {
            @Override
            public StreamExecutionEnvironment environment() {
                return cluster.environment();
            }

            @Override
            public JobClient submit(StreamExecutionEnvironment env, String jobName) {
                return cluster.submit(env, jobName);
            }

            @Override
            public LongSupplier lag(JobClient job) {
                return new RestLag(cluster.restUrl(), job.getJobID().toHexString())::nowMs;
            }

            @Override
            public boolean inThisProcess() {
                return false;
            }

            @Override
            public void close() {
            }
        };
    }
}
