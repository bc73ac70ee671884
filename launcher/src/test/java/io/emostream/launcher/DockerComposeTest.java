package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.emostream.job.EmotionJobMain;
import io.emostream.job.JobConfig;
import io.emostream.schema.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so docker-compose.yml is checked for what can go wrong without one: it parses,
 * every image is pinned to a version, what it mounts and runs is what this build produces, and the commands it
 * runs are ones our entry points accept.
 */
class DockerComposeTest {
    private static final Path ROOT = Path.of(System.getProperty("emostream.fixtures")).getParent().getParent();

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    @Test
    void everyImageIsPinnedToAVersion() throws IOException {
        List<String> images = new ArrayList<>();
        compose().path("services").forEach(service -> images.add(service.path("image").asText()));

        assertThat(images).isNotEmpty().allSatisfy(image ->
                assertThat(image).as("image %s", image).matches("[a-z0-9./-]+:[0-9][\\w.-]*(@sha256:[0-9a-f]{64})?"));
    }

    @Test
    void everyMountedPathIsInTheRepositoryOrBuiltByItOrANamedVolume() throws IOException {
        JsonNode compose = compose();
        List<String> sources = new ArrayList<>();
        compose.path("services").forEach(service -> service.path("volumes")
                .forEach(volume -> sources.add(volume.asText().split(":")[0])));

        assertThat(sources).isNotEmpty().allSatisfy(source -> {
            if (source.startsWith("./")) {
                assertThat(ROOT.resolve(source).normalize()).as("%s exists (build output is in target/)", source).exists();
            } else {
                assertThat(compose.path("volumes").has(source)).as("%s is a host path from ./ or a declared volume", source).isTrue();
            }
        });
    }

    @Test
    void theFlinkClusterRunsTheBuiltJobJarWithArgumentsTheJobAccepts() throws Exception {
        JsonNode services = compose().path("services");
        String flinkVersion = property("flink.version");
        for (String node : List.of("jobmanager", "taskmanager")) {
            JsonNode service = services.path(node);
            assertThat(service.path("image").asText()).startsWith("flink:" + flinkVersion + "-");
            assertThat(texts(service.path("volumes")))
                    .contains("./inference-job/target/emostream-job.jar:/opt/flink/usrlib/emostream-job.jar:ro");
        }
        assertThat(ROOT.resolve("inference-job/target/emostream-job.jar")).exists();
        List<String> command = texts(services.path("jobmanager").path("command"));
        assertThat(command.subList(0, 3)).containsExactly("standalone-job", "--job-classname", EmotionJobMain.class.getName());
        JobConfig config = EmotionJobMain.parse(command.subList(3, command.size()).toArray(String[]::new));
        assertThat(config.bootstrapServers()).isEqualTo("kafka:19092");
        assertThat(texts(services.path("taskmanager").path("command"))).containsExactly("taskmanager");
    }

    @Test
    void theTopicsAreCreatedBeforeAnythingUsesThem() throws IOException {
        JsonNode services = compose().path("services");
        String script = String.join(" ", texts(services.path("topics").path("command")));

        for (String topic : Topics.ALL) {
            assertThat(script).contains(" " + topic);
        }
        for (String user : List.of("jobmanager", "sinks", "sample-ingest")) {
            assertThat(services.path(user).path("depends_on").path("topics").path("condition").asText())
                    .as(user).isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void theSinksServiceRunsTheSinksCommandWithARequiredTokenOnAnAddressOnlyTheHostSees() throws IOException {
        JsonNode sinks = compose().path("services").path("sinks");
        List<String> command = texts(sinks.path("command"));
        int cli = command.indexOf(EmotionCli.class.getName());

        List<String> args = command.subList(cli + 1, command.size());
        assertThat(args.get(0)).isEqualTo("sinks");
        EmotionCli.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(args).containsSequence("--host", "0.0.0.0");
        assertThat(sinks.path("environment").path("EMOSTREAM_DASHBOARD_TOKEN").asText()).startsWith("${EMOSTREAM_DASHBOARD_TOKEN:?");
        assertThat(texts(sinks.path("ports"))).containsExactly("127.0.0.1:8080:8080");
    }

    @Test
    void theIngesterRunsTheLauncherJarTheBuildNamesWithSamplesThatExist() throws IOException {
        JsonNode ingester = compose().path("services").path("sample-ingest");
        List<String> command = texts(ingester.path("command"));
        String launcherPom = Files.readString(ROOT.resolve("launcher/pom.xml"));

        assertThat(launcherPom).contains("<finalName>emostream-launcher</finalName>");
        assertThat(command).contains("/opt/emostream/emostream-launcher.jar:/opt/emostream/lib/*", EmotionCli.class.getName(), "ingest");
        EmotionCli.commandLine().parseArgs(command.subList(command.indexOf("ingest"), command.size()).toArray(String[]::new));
        String samples = texts(ingester.path("volumes")).stream().filter(v -> v.endsWith(":/samples:ro")).findFirst().orElseThrow();
        Path sampleDir = ROOT.resolve(samples.substring(0, samples.indexOf(':')));
        assertThat(command.stream().filter(part -> part.startsWith("/samples/")))
                .isNotEmpty().allSatisfy(sample -> assertThat(sampleDir.resolve(sample.substring("/samples/".length()))).exists());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        if (array.isTextual()) {
            texts.add(array.asText());
        }
        array.forEach(part -> texts.add(part.asText()));
        return texts;
    }

    private static String property(String name) throws IOException {
        Matcher value = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(value.find()).as("%s in pom.xml", name).isTrue();
        return value.group(1);
    }
}
