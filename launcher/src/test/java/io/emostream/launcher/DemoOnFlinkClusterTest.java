package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code bin/emotion demo --jobmanager}: the job jar the build produces is submitted over REST to a Flink cluster
 * of its own (a MiniCluster with its REST endpoint), runs there, and is cancelled when the demo stops.
 */
@Timeout(300)
class DemoOnFlinkClusterTest {
    @Test
    void theJobJarRunsOnTheGivenClusterAndIsCancelledWhenTheDemoStops() throws Exception {
        // Started by hand, not with Flink's JUnit extension: that one forbids remote environments in its JVM.
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        // This cluster shares the test's JVM, whose class path already holds Kafka's client that the job jar also
        // carries; a real cluster has only Flink on its class path, where the default child-first order is right.
        conf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build())) {
            cluster.start();
            submitRunAndStop(cluster, cluster.getRestAddress().get(30, TimeUnit.SECONDS));
        }
    }

    private static void submitRunAndStop(MiniCluster cluster, URI rest) throws Exception {
        StringWriter stdout = new StringWriter();
        AtomicInteger status = new AtomicInteger(-1);
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        Thread demo = new Thread(() -> status.set(cli.execute("demo", "--port", "0", "--once",
                "--jobmanager", rest.getHost() + ":" + rest.getPort())), "demo-on-cluster");
        demo.start();
        try {
            String calls = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!calls.contains("callId") && System.nanoTime() < deadline && demo.isAlive()) {
                Thread.sleep(500);
                Matcher url = Pattern.compile("dashboard at (http://\\S+/)").matcher(stdout.toString());
                if (url.find()) {
                    calls = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.group(1) + "api/calls")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                }
            }
            assertThat(calls).as("events from the job on the cluster reach the dashboard").contains("callId");
            assertThat(jobs(cluster)).singleElement().satisfies(job -> {
                assertThat(job.getJobName()).isEqualTo("emostream demo");
                assertThat(job.getJobState()).isEqualTo(JobStatus.RUNNING);
            });
        } finally {
            demo.interrupt();
            demo.join(Duration.ofSeconds(90).toMillis());
        }
        assertThat(status.get()).isZero();
        assertThat(jobs(cluster)).singleElement().satisfies(job -> assertThat(job.getJobState()).isIn(JobStatus.CANCELED, JobStatus.CANCELLING));
    }

    private static Collection<JobStatusMessage> jobs(MiniCluster cluster) throws Exception {
        return cluster.listJobs().get(30, TimeUnit.SECONDS);
    }
}
