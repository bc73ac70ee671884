package io.emostream.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real, single-node Kafka broker (KRaft, broker and controller in one process) running inside this JVM. Not a
 * mock: clients talk to it over TCP exactly as to a cluster. Used by every integration test and by
 * {@code bin/emotion broker}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic("audio.chunks", 4).start()) {
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String SETTINGS_FILE = "emostream-broker.properties";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final boolean temporary;
    private final String host;
    private final int port;
    private final KafkaRaftServer server;

    private EmbeddedKafka(Path dataDir, boolean temporary, String host, int port, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.host = host;
        this.port = port;
        this.server = server;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates each topic with this many partitions; topics that exist already are left as they are. */
    public void createTopics(int partitions, String... names) {
        createTopics(partitions, List.of(names));
    }

    public void createTopics(int partitions, List<String> names) {
        List<NewTopic> topics = names.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        try (Admin admin = admin()) {
            admin.createTopics(topics).values().forEach((name, created) -> {
                try {
                    await(created, "creating topic " + name);
                } catch (IllegalStateException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            });
            awaitWritable(admin, names);
        }
    }

    /**
     * Returns once every partition's leader serves requests, so a producer can write at once: an idempotent
     * producer writing to a partition not opened yet can lose a batch (KAFKA-15591, fixed after Kafka 4.2).
     * ListOffsets fails with a retriable error until the leader has the partition, so it is retried.
     */
    private static void awaitWritable(Admin admin, List<String> names) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, topic) ->
                        topic.partitions().forEach(p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topics " + names + " did not become writable: " + e.getCause().getMessage(), e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the leaders of " + names, e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Topics " + names + " did not become writable within 30 s", e);
            }
        }
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Failed " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted " + what, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after 30 s " + what, e);
        }
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    /** Topics that exist on this broker now. */
    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not list the topics of " + bootstrapServers(), e);
        }
    }

    /** Stops the broker, waits until it has, and deletes the data directory if it was a temporary one. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (temporary) {
            deleteRecursively(dataDir);
        }
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Path dataDir;
        private final Map<String, Integer> topics = new LinkedHashMap<>();
        private final Properties overrides = new Properties();

        private Builder() {
        }

        /** Interface to listen on; default 127.0.0.1 (this machine only). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where the broker keeps its log; default a temporary directory deleted on close. A given one is kept. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder topic(String name, int partitions) {
            topics.put(name, partitions);
            return this;
        }

        /** Any broker setting, e.g. {@code log.retention.hours}; applied over the defaults. */
        public Builder brokerProperty(String key, String value) {
            overrides.setProperty(key, value);
            return this;
        }

        public EmbeddedKafka start() {
            boolean temporary = dataDir == null;
            try {
                Path dir = temporary ? Files.createTempDirectory("emostream-kafka-") : dataDir.toAbsolutePath();
                Files.createDirectories(dir);
                int clientPort = port != 0 ? port : freePort(host);
                Properties settings = settings(dir, clientPort);
                Path configFile = dir.resolve("server.properties");
                try (OutputStream out = Files.newOutputStream(configFile)) {
                    settings.store(out, "Written by emostream's EmbeddedKafka");
                }
                format(configFile, dir.resolve("log"));
                KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(settings, false), Time.SYSTEM);
                EmbeddedKafka kafka = new EmbeddedKafka(dir, temporary, host, clientPort, server);
                try {
                    server.startup();
                    kafka.awaitReady();
                    topics.forEach((name, partitions) -> kafka.createTopics(partitions, name));
                } catch (RuntimeException e) {
                    kafka.close();
                    throw e;
                }
                return kafka;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not prepare the broker's data directory: " + e.getMessage(), e);
            }
        }

        private Properties settings(Path dir, int clientPort) throws IOException {
            // The controller's port is written into the log at format time, so a kept data directory must reuse it.
            Properties remembered = new Properties();
            Path rememberedFile = dir.resolve(SETTINGS_FILE);
            if (Files.exists(rememberedFile)) {
                try (InputStream in = Files.newInputStream(rememberedFile)) {
                    remembered.load(in);
                }
            }
            int controllerPort = remembered.containsKey("controller.port")
                    ? Integer.parseInt(remembered.getProperty("controller.port"))
                    : freePortOtherThan(host, clientPort);
            remembered.setProperty("controller.port", Integer.toString(controllerPort));
            try (OutputStream out = Files.newOutputStream(rememberedFile)) {
                remembered.store(out, "Kept across restarts of emostream's embedded broker");
            }

            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", "1");
            p.setProperty("listeners", "PLAINTEXT://" + host + ":" + clientPort + ",CONTROLLER://" + host + ":" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
            p.setProperty("log.dirs", dir.resolve("log").toString());
            // One node: every internal topic has one replica, and small ones start faster.
            p.setProperty("offsets.topic.replication.factor", "1");
            p.setProperty("offsets.topic.num.partitions", "4");
            p.setProperty("transaction.state.log.replication.factor", "1");
            p.setProperty("transaction.state.log.min.isr", "1");
            p.setProperty("transaction.state.log.num.partitions", "4");
            p.setProperty("share.coordinator.state.topic.replication.factor", "1");
            p.setProperty("share.coordinator.state.topic.min.isr", "1");
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            p.setProperty("auto.create.topics.enable", "false");
            p.setProperty("num.partitions", "1");
            p.putAll(overrides);
            return p;
        }

        private static void format(Path configFile, Path logDir) {
            if (Files.exists(logDir.resolve("meta.properties"))) {
                return;
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            String[] args = {"format", "--config", configFile.toString(), "--cluster-id", Uuid.randomUuid().toString(),
                "--standalone", "--ignore-formatted"};
            int status = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
            if (status != 0) {
                throw new IllegalStateException("Could not format the broker's storage in " + logDir + ": "
                        + output.toString(StandardCharsets.UTF_8).strip());
            }
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("The embedded broker at " + bootstrapServers()
                                + " did not become ready within " + READY_TIMEOUT.toSeconds() + " s", e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the embedded broker", e);
                }
            }
        }
    }

    /** The client port is released before the controller's is picked, so the system may offer it again. */
    private static int freePortOtherThan(String host, int taken) throws IOException {
        int port = freePort(host);
        while (port == taken) {
            port = freePort(host);
        }
        return port;
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            all.sort(Comparator.reverseOrder());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the broker's temporary directory " + dir, e);
        }
    }
}
