package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.launcher.capacity.CapacityRun;
import io.emostream.kafka.EmbeddedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bin/emotion bench --jobmanager}: each run's job is the build's job jar, submitted over REST to a Flink cluster
 * of its own, and its lag is read through that cluster's REST API.
 */
@Timeout(300)
class BenchOnFlinkClusterTest {
    private static final Path FIXTURES = Path.of(System.getProperty("emostream.fixtures"));

    @Test
    void measuresTheJobOnTheGivenClusterThroughItsRestApi(@TempDir Path dir) throws Exception {
        // Started by hand, not with Flink's JUnit extension: that one forbids remote environments in its JVM.
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        // The cluster shares the test's class path, which already holds the Kafka client the job jar carries.
        conf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
        // The REST API's metrics are refreshed every 10 s by default, longer than this run's measured 8 s.
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start();
             MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                     .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build())) {
            cluster.start();
            URI rest = cluster.getRestAddress().get(30, TimeUnit.SECONDS);
            Path json = dir.resolve("capacity.json");
            StringWriter stdout = new StringWriter();
            CommandLine cli = EmotionCli.commandLine();
            cli.setOut(new PrintWriter(stdout, true));

            // With the warm-up load first: both loads run through the one job, the second after the first is read.
            int status = cli.execute("bench", "--streams", "4", "--seconds", "14", "--warmup", "4", "--jvm-warmup-seconds", "10",
                    "--bootstrap", kafka.bootstrapServers(), "--jobmanager", rest.getHost() + ":" + rest.getPort(),
                    "--speech", FIXTURES.resolve("podcast-mono-16k.wav").toString(), "--json", json.toString());

            assertThat(status).as("%s", stdout).isZero();
            JsonNode figures = new ObjectMapper().readTree(json.toFile());
            // Whether a load was kept up with is timing on a shared machine (one late tick of the load generator is enough
            // to say no): not for a test to require. The verdict must follow the figures it rests on.
            boolean keptUp = figures.path("maxLagMs").asLong() <= CapacityRun.MAX_LAG.toMillis()
                    && figures.path("lagGrowthMsPerS").asDouble() <= CapacityRun.MAX_LAG_GROWTH
                    && figures.path("loadLateTicks").asLong() == 0 && figures.path("loadSendErrors").asLong() == 0;
            assertThat(figures.path("sustained").asBoolean()).as("%s", stdout).isEqualTo(keptUp);
            assertThat(figures.path("events").asLong()).isPositive();
            assertThat(figures.path("maxLagMs").asLong()).as("read through the REST API").isBetween(0L, 2_000L);
            assertThat(figures.path("cpuSecondsPerAudioSecond").isNull()).as("the job's CPU is the cluster's").isTrue();
            assertThat(figures.path("heapBytesPerStream").isNull()).isTrue();
            assertThat(figures.path("setting").path("flink").asText()).isEqualTo(rest.getHost() + ":" + rest.getPort());
            assertThat(stdout.toString()).contains("Capacity of the Flink cluster at").contains("Warming up the job: 10 s at 2 streams")
                    .contains("| 4 | " + (keptUp ? "yes" : "no") + " |")
                    .contains("left out with --jobmanager");
            assertThat(cluster.listJobs().get(30, TimeUnit.SECONDS)).singleElement().satisfies(job -> {
                assertThat(job.getJobName()).isEqualTo("emostream capacity benchmark");
                assertThat(job.getJobState()).isIn(JobStatus.CANCELED, JobStatus.CANCELLING);
            });
        }
    }

    @Test
    void aMalformedJobManagerIsOneSentence() {
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setErr(new PrintWriter(stderr, true));

        assertThat(cli.execute("bench", "--jobmanager", "flink-without-port")).isEqualTo(2);
        assertThat(stderr.toString()).contains("--jobmanager is HOST:PORT of Flink's REST endpoint (usually port 8081),"
                + " not 'flink-without-port'.");
    }
}
