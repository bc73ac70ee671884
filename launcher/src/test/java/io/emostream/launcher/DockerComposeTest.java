package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so docker-compose.yml is checked for what can go wrong without one: it parses,
 * every image is pinned to a version, and what it mounts and runs is what this build produces.
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
    void everyMountedPathIsInTheRepositoryOrBuiltByIt() throws IOException {
        List<String> sources = new ArrayList<>();
        compose().path("services").forEach(service -> service.path("volumes")
                .forEach(volume -> sources.add(volume.asText().split(":")[0])));

        assertThat(sources).isNotEmpty().allSatisfy(source -> {
            assertThat(source).as("host paths are relative to the repository").startsWith("./");
            assertThat(ROOT.resolve(source).normalize()).as("%s exists (build output is in target/)", source).exists();
        });
    }

    @Test
    void theIngesterRunsTheLauncherJarTheBuildNamesWithSamplesThatExist() throws IOException {
        JsonNode ingester = compose().path("services").path("sample-ingest");
        List<String> command = new ArrayList<>();
        ingester.path("command").forEach(part -> command.add(part.asText()));
        String launcherPom = Files.readString(ROOT.resolve("launcher/pom.xml"));

        assertThat(launcherPom).contains("<finalName>emostream-launcher</finalName>");
        assertThat(command).contains("/opt/emostream/emostream-launcher.jar:/opt/emostream/lib/*", EmotionCli.class.getName(), "ingest");
        command.stream().filter(part -> part.startsWith("/samples/"))
                .forEach(sample -> assertThat(ROOT.resolve("fixtures/audio").resolve(sample.substring("/samples/".length()))).exists());
        assertThat(ingester.path("depends_on").path("kafka").path("condition").asText()).isEqualTo("service_healthy");
    }
}
