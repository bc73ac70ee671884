package io.emostream.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;

/**
 * An existing Flink cluster, named by its REST endpoint ({@code --jobmanager HOST:PORT}), and the shaded job jar
 * sent with each job ({@code --job-jar}), since such a cluster has only Flink on its class path.
 */
public record RemoteFlink(String host, int port, Path jobJar) {

    /** Checks both options: one sentence for a malformed address or a missing jar. */
    public static RemoteFlink of(CommandLine.Model.CommandSpec spec, String jobManager, Path jobJar) {
        int colon = jobManager.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(jobManager.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon < 1 || port < 1 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--jobmanager is HOST:PORT of Flink's REST endpoint"
                    + " (usually port 8081), not '" + jobManager + "'.");
        }
        Path jar = jobJar != null ? jobJar : buildRoot().resolve("inference-job/target/emostream-job.jar");
        if (!Files.isRegularFile(jar)) {
            throw new EmotionCli.UserException("--job-jar " + jar + " does not exist; build it with ./mvnw -DskipTests package,"
                    + " or give its path.");
        }
        return new RemoteFlink(jobManager.substring(0, colon), port, jar);
    }

    /** Where the cluster's REST API answers, e.g. {@code http://flink:8081}. */
    public String restUrl() {
        return "http://" + host + ":" + port;
    }

    /** An environment whose jobs go to this cluster with the job jar, at the cluster's default parallelism. */
    public StreamExecutionEnvironment environment() {
        return StreamExecutionEnvironment.createRemoteEnvironment(host, port, jobJar.toString());
    }

    /** Submits what {@code env} holds; a cluster that does not answer is one sentence. */
    public JobClient submit(StreamExecutionEnvironment env, String jobName) {
        try {
            return env.executeAsync(jobName);
        } catch (Exception e) {
            throw new EmotionCli.UserException("--jobmanager " + host + ":" + port + ": the job could not be submitted ("
                    + e.getMessage() + "); is a Flink " + EnvironmentInformation.getVersion()
                    + " REST endpoint listening there?", e);
        }
    }

    /** The repository this launcher was built in: launcher/target/emostream-launcher.jar is three levels down. */
    static Path buildRoot() {
        try {
            Path launcherJar = Path.of(RemoteFlink.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return launcherJar.getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("The launcher's own location is not a file path", e);
        }
    }
}
