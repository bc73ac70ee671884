package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.emostream.job.EmotionJobMain;
import io.emostream.job.JobConfig;
import io.emostream.job.JobMetrics;
import io.emostream.schema.Topics;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * No Kubernetes cluster, Docker daemon or GPU is available where emostream is built, so deploy/ is checked for what
 * can go wrong without them: the manifests parse and are complete, every image is pinned, the Dockerfiles copy
 * what the build produces, the job and the sinks get arguments their own parsers accept, the Kafka addresses, ports,
 * volumes and GPU settings agree across files, and the Grafana dashboard queries metrics the job registers.
 */
class DeployManifestsTest {
    private static final Path ROOT = Path.of(System.getProperty("emostream.fixtures")).getParent().getParent();
    private static final Path DEPLOY = ROOT.resolve("deploy");
    private static final String NAMESPACE = "emostream";
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass");
    /** Same rule as DockerComposeTest: a tag that starts with a digit, optionally a digest. */
    private static final String PINNED_IMAGE = "[a-z0-9./-]+:[0-9][\\w.-]*(@sha256:[0-9a-f]{64})?";
    private static final String MAIN_CONTAINER = "flink-main-container";
    private static final String GPU = "nvidia.com/gpu";
    private static final String JOB_METRIC_PREFIX = "flink_taskmanager_job_task_operator_" + JobMetrics.GROUP + "_";
    /** Broker default of transaction.max.timeout.ms; the job's exactly-once sink asks for this much. */
    private static final long JOB_TRANSACTION_TIMEOUT_MS = 15 * 60 * 1000;

    private record Manifest(Path file, JsonNode doc) {
        String kind() {
            return doc.path("kind").asText();
        }

        String name() {
            return doc.path("metadata").path("name").asText();
        }
    }

    private record Instruction(String keyword, String arguments) {
    }

    // ---------------------------------------------------------------------------------------------- manifests

    @Test
    void everyDocumentIsAKubernetesObjectInTheEmostreamNamespace() throws IOException {
        List<Manifest> manifests = manifests();

        assertThat(manifests).extracting(m -> m.file().getFileName().toString()).contains(
                "namespace.yaml", "kafka.yaml", "flink-deployment.yaml", "sinks.yaml");
        assertThat(manifests).extracting(Manifest::kind).contains("Namespace", "KafkaNodePool", "Kafka",
                "KafkaTopic", "FlinkDeployment", "PersistentVolumeClaim", "Deployment", "Service", "NetworkPolicy");
        assertThat(manifests).allSatisfy(m -> {
            String where = m.file().getFileName() + ": " + m.kind() + " " + m.name();
            assertThat(m.doc().path("apiVersion").asText()).as(where).matches("([a-z0-9.-]+/)?v[0-9]+\\w*");
            assertThat(m.kind()).as(where).matches("[A-Z][A-Za-z]+");
            assertThat(m.name()).as(where).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            if (CLUSTER_SCOPED.contains(m.kind())) {
                assertThat(m.doc().path("metadata").has("namespace")).as(where + " is cluster-scoped").isFalse();
            } else {
                assertThat(m.doc().path("metadata").path("namespace").asText()).as(where).isEqualTo(NAMESPACE);
            }
        });
        assertThat(one("Namespace", NAMESPACE).path("apiVersion").asText()).isEqualTo("v1");
        List<String> identities = manifests.stream().map(m -> m.kind() + "/" + m.name()).toList();
        assertThat(identities).as("no object defined twice").doesNotHaveDuplicates();
    }

    @Test
    void everyImageIsPinnedToAVersion() throws IOException {
        List<String> images = new ArrayList<>();
        for (Manifest m : manifests()) {
            collectImages(m.doc(), images);
        }
        for (Path dockerfile : dockerfiles()) {
            List<Instruction> from = instructions(dockerfile).stream().filter(i -> i.keyword().equals("FROM")).toList();
            assertThat(from).as("%s has a FROM", dockerfile.getFileName()).isNotEmpty();
            from.forEach(i -> images.add(i.arguments().split("\\s+")[0]));
        }

        assertThat(images).hasSizeGreaterThanOrEqualTo(4).allSatisfy(image -> {
            assertThat(image).as("image %s", image).matches(PINNED_IMAGE);
            assertThat(image).as("image %s", image).doesNotContainIgnoringCase("latest");
        });
    }

    @Test
    void theImagesTheManifestsRunAreTheOnesTheReadmeBuilds() throws IOException {
        String readme = Files.readString(DEPLOY.resolve("README.md"));
        String jobImage = flinkDeployment().path("spec").path("image").asText();
        String sinksImage = sinksContainer().path("image").asText();

        assertThat(readme).contains("docker build -f deploy/docker/Dockerfile.job -t " + jobImage + " .");
        assertThat(readme).contains("docker build -f deploy/docker/Dockerfile.sinks -t " + sinksImage + " .");
        assertThat(readme).contains("create secret generic emostream-dashboard --from-literal=token=");
        assertThat(readme).contains("port-forward svc/" + sinksService().path("metadata").path("name").asText());
    }

    // ---------------------------------------------------------------------------------------------- Dockerfiles

    @Test
    void theDockerfilesCopyWhatTheBuildProduces() throws IOException {
        assertThat(copies(DEPLOY.resolve("docker/Dockerfile.job"))).containsExactly(
                List.of("inference-job/target/emostream-job.jar", "/opt/flink/usrlib/emostream-job.jar"));
        assertThat(copies(DEPLOY.resolve("docker/Dockerfile.sinks"))).containsExactlyInAnyOrder(
                List.of("launcher/target/lib/", "/opt/emostream/lib/"),
                List.of("launcher/target/emostream-launcher.jar", "/opt/emostream/emostream-launcher.jar"));

        for (Path dockerfile : dockerfiles()) {
            List<String> dockerignore = Files.readAllLines(dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore"));
            for (List<String> copy : copies(dockerfile)) {
                String source = copy.get(0);
                assertBuilt(source);
                assertThat(dockerignore).as("%s.dockerignore lets %s through", dockerfile.getFileName(), source)
                        .contains("!" + source.replaceAll("/$", ""));
            }
        }
    }

    @Test
    void theFlinkImageFollowsTheFlinkVersionOfTheBuild() throws IOException {
        String flinkVersion = pomProperty("flink.version");
        String from = instructions(DEPLOY.resolve("docker/Dockerfile.job")).stream()
                .filter(i -> i.keyword().equals("FROM")).findFirst().orElseThrow().arguments();
        String[] majorMinor = flinkVersion.split("\\.");

        assertThat(from).isEqualTo("flink:" + flinkVersion + "-scala_2.12-java17");
        assertThat(flinkDeployment().path("spec").path("flinkVersion").asText())
                .isEqualTo("v" + majorMinor[0] + "_" + majorMinor[1]);
        String run = instructions(DEPLOY.resolve("docker/Dockerfile.job")).stream()
                .filter(i -> i.keyword().equals("RUN")).map(Instruction::arguments).reduce("", String::concat);
        assertThat(run).as("the Prometheus reporter and the GPU driver are plugins")
                .contains("/opt/flink/plugins/metrics-prometheus", "/opt/flink/plugins/external-resource-gpu");
    }

    // ---------------------------------------------------------------------------------------------- Flink job

    @Test
    void theFlinkJobRunsTheBuiltJarWithArgumentsTheJobAccepts() throws Exception {
        JsonNode job = flinkDeployment().path("spec").path("job");
        String jarUri = job.path("jarURI").asText();
        assertThat(jarUri).startsWith("local:///");
        String jarPath = jarUri.substring("local://".length());

        assertThat(Path.of(jarPath).getFileName().toString()).isEqualTo("emostream-job.jar");
        assertThat(ROOT.resolve("inference-job/target").resolve(Path.of(jarPath).getFileName())).isRegularFile();
        assertThat(copies(DEPLOY.resolve("docker/Dockerfile.job"))).extracting(copy -> copy.get(1)).contains(jarPath);

        Class<?> entry = Class.forName(job.path("entryClass").asText());
        Method main = entry.getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
        assertThat(entry).isEqualTo(EmotionJobMain.class);

        String[] args = texts(job.path("args")).toArray(String[]::new);
        JobConfig config = EmotionJobMain.parse(args);
        assertThat(config.bootstrapServers()).isEqualTo(kafkaBootstrap());
        assertThat(config.guarantee().name()).isEqualTo("EXACTLY_ONCE");

        JsonNode flinkConfig = flinkDeployment().path("spec").path("flinkConfiguration");
        assertThat(flinkConfig.path("execution.checkpointing.mode").asText()).isEqualTo("EXACTLY_ONCE");
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        int parallelism = job.path("parallelism").asInt();
        assertThat(parallelism).isPositive();
        assertThat(topic(Topics.AUDIO_CHUNKS).path("spec").path("partitions").asInt())
                .as("every subtask gets audio partitions").isGreaterThanOrEqualTo(parallelism);
        assertThat(flinkConfig.path("taskmanager.numberOfTaskSlots").asInt()).isPositive();
    }

    @Test
    void taskManagersRequestAGpuThroughFlinksExternalResources() throws IOException {
        JsonNode spec = flinkDeployment().path("spec");
        JsonNode container = mainContainer(spec.path("taskManager").path("podTemplate"));
        JsonNode flinkConfig = spec.path("flinkConfiguration");

        assertThat(container.path("resources").path("requests").path(GPU).asText()).isEqualTo("1");
        assertThat(container.path("resources").path("limits").path(GPU).asText()).isEqualTo("1");
        assertThat(Arrays.asList(flinkConfig.path("external-resources").asText().split(";"))).contains("gpu");
        assertThat(flinkConfig.path("external-resource.gpu.amount").asText()).isEqualTo("1");
        assertThat(flinkConfig.path("external-resource.gpu.driver-factory.class").asText())
                .isEqualTo("org.apache.flink.externalresource.gpu.GPUDriverFactory");
        assertThat(flinkConfig.path("external-resource.gpu.kubernetes.config-key").asText()).isEqualTo(GPU);
    }

    @Test
    void checkpointsSavepointsAndHaMetadataAreOnAVolumeEveryFlinkPodMounts() throws IOException {
        JsonNode spec = flinkDeployment().path("spec");
        JsonNode flinkConfig = spec.path("flinkConfiguration");
        List<String> keys = List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir",
                "high-availability.storageDir");

        assertThat(flinkConfig.path("high-availability.type").asText()).isEqualTo("kubernetes");
        for (String key : keys) {
            String dir = flinkConfig.path(key).asText();
            assertThat(dir).as(key).isNotBlank();
            if (!dir.startsWith("file://")) {
                continue;
            }
            String path = dir.substring("file://".length());
            for (String role : List.of("jobManager", "taskManager")) {
                JsonNode template = spec.path(role).path("podTemplate");
                JsonNode mount = stream(mainContainer(template).path("volumeMounts"))
                        .filter(m -> path.startsWith(m.path("mountPath").asText() + "/")).findFirst()
                        .orElseThrow(() -> new AssertionError(role + " mounts nothing under " + path + " (" + key + ")"));
                JsonNode volume = stream(template.path("spec").path("volumes"))
                        .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst()
                        .orElseThrow(() -> new AssertionError(role + " has no volume " + mount.path("name")));
                String claim = volume.path("persistentVolumeClaim").path("claimName").asText();
                assertThat(texts(one("PersistentVolumeClaim", claim).path("spec").path("accessModes")))
                        .as("JobManager and TaskManagers share %s", claim).contains("ReadWriteMany");
            }
        }
    }

    @Test
    void flinkPodsExposePrometheusMetrics() throws IOException {
        JsonNode spec = flinkDeployment().path("spec");
        JsonNode flinkConfig = spec.path("flinkConfiguration");
        String port = flinkConfig.path("metrics.reporter.prom.port").asText();

        assertThat(flinkConfig.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(port).isEqualTo("9249");
        JsonNode annotations = spec.path("podTemplate").path("metadata").path("annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(port);
        for (String role : List.of("jobManager", "taskManager")) {
            assertThat(stream(mainContainer(spec.path(role).path("podTemplate")).path("ports"))
                    .map(p -> p.path("containerPort").asText())).as(role).contains(port);
        }
    }

    // ---------------------------------------------------------------------------------------------- Kafka

    @Test
    void kafkaHasEmostreamsTopicsAndTheBuildsVersion() throws IOException {
        JsonNode kafka = one("Kafka", kafkaName());
        List<Manifest> topics = all("KafkaTopic");
        List<String> names = topics.stream()
                .map(t -> t.doc().path("spec").path("topicName").asText(t.name())).toList();

        assertThat(names).containsExactlyInAnyOrderElementsOf(Topics.ALL).hasSize(7);
        assertThat(kafka.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
        assertThat(kafka.path("spec").path("kafka").path("version").asText()).isEqualTo(pomProperty("kafka.version"));
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText()).isEqualTo("enabled");
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/node-pools").asText()).isEqualTo("enabled");
        assertThat(kafka.path("spec").path("entityOperator").has("topicOperator")).isTrue();

        int brokers = 0;
        boolean controllers = false;
        for (Manifest pool : all("KafkaNodePool")) {
            assertThat(pool.doc().path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(kafkaName());
            List<String> roles = texts(pool.doc().path("spec").path("roles"));
            brokers += roles.contains("broker") ? pool.doc().path("spec").path("replicas").asInt() : 0;
            controllers |= roles.contains("controller");
            assertThat(pool.doc().path("spec").path("storage").toString()).contains("persistent-claim");
        }
        assertThat(controllers).as("a node pool runs KRaft controllers").isTrue();
        assertThat(brokers).isEqualTo(3);

        JsonNode config = kafka.path("spec").path("kafka").path("config");
        for (String factor : List.of("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                "default.replication.factor")) {
            assertThat(config.path(factor).asInt()).as(factor).isBetween(1, brokers);
        }
        assertThat(config.path("transaction.state.log.min.isr").asInt())
                .isLessThan(config.path("transaction.state.log.replication.factor").asInt());
        assertThat(config.path("min.insync.replicas").asInt()).isLessThan(config.path("default.replication.factor").asInt());
        if (config.has("transaction.max.timeout.ms")) {
            assertThat(config.path("transaction.max.timeout.ms").asLong()).isGreaterThanOrEqualTo(JOB_TRANSACTION_TIMEOUT_MS);
        }
        for (Manifest topic : topics) {
            JsonNode spec = topic.doc().path("spec");
            assertThat(topic.doc().path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .as(topic.name()).isEqualTo(kafkaName());
            assertThat(spec.path("partitions").asInt()).as(topic.name()).isEqualTo(12);
            assertThat(spec.path("replicas").asInt()).as(topic.name()).isBetween(2, brokers)
                    .isGreaterThan(config.path("min.insync.replicas").asInt());
        }
    }

    // ---------------------------------------------------------------------------------------------- sinks

    @Test
    void theSinksGetArgumentsTheLauncherAcceptsAfterTheImagesEntrypoint() throws IOException {
        List<Instruction> dockerfile = instructions(DEPLOY.resolve("docker/Dockerfile.sinks"));
        List<String> entrypoint = jsonArray(dockerfile, "ENTRYPOINT");
        List<String> cmd = jsonArray(dockerfile, "CMD");
        JsonNode container = sinksContainer();
        List<String> args = texts(container.path("args"));

        assertThat(entrypoint).containsExactly("java", "-cp",
                "/opt/emostream/emostream-launcher.jar:/opt/emostream/lib/*", EmotionCli.class.getName());
        assertThat(copies(DEPLOY.resolve("docker/Dockerfile.sinks"))).extracting(copy -> copy.get(1))
                .contains("/opt/emostream/emostream-launcher.jar", "/opt/emostream/lib/");
        assertThat(container.has("command")).as("the image's ENTRYPOINT runs").isFalse();
        assertThat(args).first().isEqualTo("sinks");
        assertThatCode(() -> EmotionCli.commandLine().parseArgs(cmd.toArray(String[]::new)))
                .as("the image's default CMD").doesNotThrowAnyException();

        CommandLine.ParseResult sinks = EmotionCli.commandLine().parseArgs(args.toArray(String[]::new)).subcommand();
        assertThat(sinks.commandSpec().name()).isEqualTo("sinks");
        assertThat(String.valueOf(sinks.matchedOptionValue("--host", (Object) null))).isEqualTo("0.0.0.0");
        assertThat(String.valueOf(sinks.matchedOptionValue("--bootstrap", (Object) null))).isEqualTo(kafkaBootstrap());
        int port = Integer.parseInt(String.valueOf(sinks.matchedOptionValue("--port", (Object) null)));
        assertThat(resolvePort(container, container.path("ports").path(0).path("name"))).isEqualTo(port);
        String stateDir = String.valueOf(sinks.matchedOptionValue("--state-dir", (Object) null));
        assertThat(stream(container.path("volumeMounts")).map(m -> m.path("mountPath").asText()))
                .as("the state dir is a volume: the root file system is read-only").contains(stateDir, "/tmp");
        assertThat(dockerfile).contains(new Instruction("EXPOSE", String.valueOf(port)));
    }

    @Test
    void theDashboardTokenComesFromTheSecret() throws IOException {
        JsonNode token = stream(sinksContainer().path("env"))
                .filter(e -> e.path("name").asText().equals("EMOSTREAM_DASHBOARD_TOKEN")).findFirst()
                .orElseThrow(() -> new AssertionError("EMOSTREAM_DASHBOARD_TOKEN is not set"));

        assertThat(token.has("value")).as("never inline").isFalse();
        assertThat(token.path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("emostream-dashboard");
        assertThat(token.path("valueFrom").path("secretKeyRef").path("key").asText()).isEqualTo("token");
    }

    @Test
    void theSinksRunAsNonRootWithAReadOnlyRootFileSystem() throws IOException {
        JsonNode pod = one("Deployment", "emostream-sinks").path("spec").path("template").path("spec");
        JsonNode container = sinksContainer();
        String user = instructions(DEPLOY.resolve("docker/Dockerfile.sinks")).stream()
                .filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b).orElseThrow().arguments();

        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(user).as("numeric, so runAsNonRoot can check it").matches("[1-9][0-9]*(:[0-9]+)?");
        assertThat(pod.path("securityContext").path("runAsUser").asText()).isEqualTo(user.split(":")[0]);
    }

    @Test
    void theServiceProbesAndNetworkPolicyPointAtTheDashboardPort() throws IOException {
        JsonNode container = sinksContainer();
        JsonNode podLabels = one("Deployment", "emostream-sinks").path("spec").path("template").path("metadata").path("labels");
        JsonNode service = sinksService();
        JsonNode policy = one("NetworkPolicy", "emostream-sinks-dashboard");
        int dashboardPort = container.path("ports").path(0).path("containerPort").asInt();

        assertThat(dashboardPort).isEqualTo(8080);
        assertThat(service.path("spec").path("type").asText("ClusterIP")).isEqualTo("ClusterIP");
        assertThat(matches(service.path("spec").path("selector"), podLabels)).as("Service selects the pods").isTrue();
        assertThat(resolvePort(container, service.path("spec").path("ports").path(0).path("targetPort"))).isEqualTo(dashboardPort);
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertThat(container.path(probe).path("httpGet").isMissingNode()).as("%s: the API needs the token", probe).isTrue();
            assertThat(resolvePort(container, container.path(probe).path("tcpSocket").path("port"))).as(probe).isEqualTo(dashboardPort);
        }

        assertThat(matches(policy.path("spec").path("podSelector").path("matchLabels"), podLabels)).isTrue();
        assertThat(texts(policy.path("spec").path("policyTypes"))).contains("Ingress");
        JsonNode rule = policy.path("spec").path("ingress").path(0);
        assertThat(policy.path("spec").path("ingress").size()).isEqualTo(1);
        assertThat(rule.path("from").path(0).path("podSelector").path("matchLabels").path("emostream-dashboard-access").asText())
                .isEqualTo("true");
        assertThat(rule.path("ports").path(0).path("port").asInt()).isEqualTo(dashboardPort);
    }

    // ---------------------------------------------------------------------------------------------- Grafana

    @Test
    void theDashboardQueriesMetricsTheJobRegisters() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/emostream-dashboard.json").toFile());
        List<String> expressions = new ArrayList<>();
        List<JsonNode> targets = new ArrayList<>();
        collectTargets(dashboard.path("panels"), targets);
        targets.forEach(t -> expressions.add(t.path("expr").asText()));
        Set<String> referenced = new TreeSet<>();
        Matcher metric = Pattern.compile(Pattern.quote(JOB_METRIC_PREFIX) + "(\\w+)").matcher(String.join("\n", expressions));
        while (metric.find()) {
            referenced.add(metric.group(1));
        }

        assertThat(dashboard.path("schemaVersion").asInt()).isEqualTo(39);
        assertThat(JobMetrics.GROUP).isEqualTo("emostream");
        assertThat(referenced).isNotEmpty().allSatisfy(name ->
                assertThat(jobMetricNames()).as("%s%s is a metric in JobMetrics", JOB_METRIC_PREFIX, name).contains(name));
        assertThat(referenced).contains(JobMetrics.UTTERANCES_PER_SECOND, JobMetrics.VAD_BATCH_SIZE,
                JobMetrics.MODEL_LATENCY_US, JobMetrics.ASR_BACKLOG, JobMetrics.ASR_OVERLOADED,
                JobMetrics.UNREADABLE_RECORDS, JobMetrics.REJECTED_CHUNKS, JobMetrics.EVENTS, JobMetrics.BRIDGED_MS);
        assertThat(String.join("\n", expressions)).contains("kafka_consumergroup_lag",
                "flink_jobmanager_job_lastCheckpointDuration", "flink_jobmanager_job_numRestarts");

        JsonNode datasource = stream(dashboard.path("templating").path("list"))
                .filter(v -> v.path("name").asText().equals("DS_PROMETHEUS")).findFirst()
                .orElseThrow(() -> new AssertionError("no DS_PROMETHEUS variable"));
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
        assertThat(targets).allSatisfy(t -> {
            assertThat(t.path("expr").asText()).isNotBlank();
            assertThat(t.path("refId").asText()).isNotBlank();
            assertThat(t.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
        });
        List<Integer> ids = new ArrayList<>();
        dashboard.path("panels").forEach(p -> ids.add(p.path("id").asInt()));
        assertThat(ids).doesNotHaveDuplicates();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static List<Manifest> manifests() throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(DEPLOY.resolve("kubernetes"))) {
            files = listing.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
        for (Path file : files) {
            try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                        assertThat(doc.isObject()).as("%s: a document is an object", file.getFileName()).isTrue();
                        manifests.add(new Manifest(file, doc));
                    }
                }
            }
        }
        return manifests;
    }

    private static List<Manifest> all(String kind) throws IOException {
        return manifests().stream().filter(m -> m.kind().equals(kind)).toList();
    }

    private static JsonNode one(String kind, String name) throws IOException {
        List<Manifest> found = manifests().stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).toList();
        assertThat(found).as("%s %s", kind, name).hasSize(1);
        return found.get(0).doc();
    }

    private static JsonNode flinkDeployment() throws IOException {
        JsonNode deployment = one("FlinkDeployment", "emostream-job");
        assertThat(deployment.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        return deployment;
    }

    private static JsonNode sinksContainer() throws IOException {
        JsonNode containers = one("Deployment", "emostream-sinks").path("spec").path("template").path("spec").path("containers");
        assertThat(containers.size()).isEqualTo(1);
        return containers.get(0);
    }

    private static JsonNode sinksService() throws IOException {
        return one("Service", "emostream-sinks");
    }

    private static JsonNode topic(String name) throws IOException {
        return all("KafkaTopic").stream().map(Manifest::doc)
                .filter(t -> t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText()).equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no KafkaTopic " + name));
    }

    private static String kafkaName() throws IOException {
        List<Manifest> kafkas = all("Kafka");
        assertThat(kafkas).hasSize(1);
        return kafkas.get(0).name();
    }

    /** What Strimzi names the bootstrap service of the plain (internal, no TLS) listener, with its port. */
    private static String kafkaBootstrap() throws IOException {
        JsonNode kafka = one("Kafka", kafkaName());
        JsonNode plain = stream(kafka.path("spec").path("kafka").path("listeners"))
                .filter(l -> l.path("type").asText().equals("internal") && !l.path("tls").asBoolean())
                .findFirst().orElseThrow(() -> new AssertionError("no plain internal listener"));
        String namespace = kafka.path("metadata").path("namespace").asText();
        return kafkaName() + "-kafka-bootstrap." + namespace + ".svc:" + plain.path("port").asInt();
    }

    private static JsonNode mainContainer(JsonNode podTemplate) {
        return stream(podTemplate.path("spec").path("containers"))
                .filter(c -> c.path("name").asText().equals(MAIN_CONTAINER)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + MAIN_CONTAINER + " in " + podTemplate));
    }

    private static int resolvePort(JsonNode container, JsonNode reference) {
        if (reference.canConvertToInt() && !reference.isTextual()) {
            return reference.asInt();
        }
        if (reference.isTextual() && reference.asText().matches("[0-9]+")) {
            return Integer.parseInt(reference.asText());
        }
        return stream(container.path("ports")).filter(p -> p.path("name").asText().equals(reference.asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no container port " + reference))
                .path("containerPort").asInt();
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> entry : selector.properties()) {
            if (!labels.path(entry.getKey()).asText().equals(entry.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    private static void collectImages(JsonNode node, List<String> images) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("image") && field.getValue().isTextual()) {
                    images.add(field.getValue().asText());
                } else {
                    collectImages(field.getValue(), images);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectImages(child, images));
        }
    }

    private static void collectTargets(JsonNode panels, List<JsonNode> targets) {
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(targets::add);
            collectTargets(panel.path("panels"), targets);
        }
    }

    private static Set<String> jobMetricNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Field field : JobMetrics.class.getFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class
                    && !field.getName().equals("GROUP")) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertThat(names).contains(JobMetrics.UTTERANCES, JobMetrics.ASR_LATENCY_MS);
        return names;
    }

    private static List<Path> dockerfiles() throws IOException {
        try (Stream<Path> listing = Files.list(DEPLOY.resolve("docker"))) {
            List<Path> files = listing.filter(f -> f.getFileName().toString().matches("Dockerfile(\\.[a-z]+)?")).sorted().toList();
            assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly("Dockerfile.job", "Dockerfile.sinks");
            return files;
        }
    }

    /** Instructions with continuation lines joined and comments dropped. */
    private static List<Instruction> instructions(Path dockerfile) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                String text = current.toString().strip();
                int space = text.indexOf(' ');
                instructions.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
                current.setLength(0);
            }
        }
        return instructions;
    }

    /** [source, destination] of each COPY from the build context. */
    private static List<List<String>> copies(Path dockerfile) throws IOException {
        List<List<String>> copies = new ArrayList<>();
        for (Instruction instruction : instructions(dockerfile)) {
            if (!instruction.keyword().equals("COPY") && !instruction.keyword().equals("ADD")) {
                continue;
            }
            List<String> words = Arrays.asList(instruction.arguments().split("\\s+"));
            if (words.stream().anyMatch(w -> w.startsWith("--from"))) {
                continue;
            }
            List<String> paths = words.stream().filter(w -> !w.startsWith("--")).toList();
            String destination = paths.get(paths.size() - 1);
            paths.subList(0, paths.size() - 1).forEach(source -> copies.add(List.of(source, destination)));
        }
        return copies;
    }

    private static List<String> jsonArray(List<Instruction> dockerfile, String keyword) throws IOException {
        String arguments = dockerfile.stream().filter(i -> i.keyword().equals(keyword)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + keyword)).arguments();
        assertThat(arguments).as("%s in exec form", keyword).startsWith("[");
        return Arrays.asList(new ObjectMapper().readValue(arguments, String[].class));
    }

    private static String pomProperty(String name) throws IOException {
        Matcher property = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(property.find()).as("%s in pom.xml", name).isTrue();
        return property.group(1).strip();
    }

    /**
     * The job jar is packaged by inference-job before this module's tests run, so it must exist. This module's own
     * jar and lib/ are made in its package phase, which comes after its tests: for them the launcher's pom must say
     * that package makes them (and where an earlier build left them, they are checked too).
     */
    private static void assertBuilt(String source) throws IOException {
        Path built = ROOT.resolve(source).normalize();
        String launcherTarget = "launcher/target/";
        if (source.startsWith(launcherTarget)) {
            String pom = Files.readString(ROOT.resolve("launcher/pom.xml"));
            switch (source.substring(launcherTarget.length()).replaceAll("/$", "")) {
                case "emostream-launcher.jar" -> assertThat(pom).contains("<finalName>emostream-launcher</finalName>");
                case "lib" -> assertThat(pom).contains("<goal>copy-dependencies</goal>", "<phase>package</phase>",
                        "<includeScope>runtime</includeScope>", "<outputDirectory>${project.build.directory}/lib</outputDirectory>");
                default -> throw new AssertionError(source + " is not something the launcher's build makes");
            }
        } else {
            assertThat(built).as("%s: ./mvnw package builds it", source).exists();
        }
        if (Files.isDirectory(built)) {
            try (Stream<Path> jars = Files.list(built)) {
                assertThat(jars.filter(j -> j.toString().endsWith(".jar")).count()).as(source).isPositive();
            }
        } else if (Files.exists(built)) {
            assertThat(Files.size(built)).as(source).isPositive();
        }
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }

    private static List<String> texts(JsonNode array) {
        return stream(array).map(JsonNode::asText).toList();
    }
}
