package io.emostream.launcher;

import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.kafka.EmbeddedKafka;
import io.emostream.schema.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a local single-node Kafka broker (KRaft) for trying emostream, with its topics created.",
            "It is real Kafka, in this process: any Kafka client can use it. Ctrl-C stops it cleanly."},
        footer = {"", "Example:", "  bin/emotion broker &    then    bin/emotion ingest fixtures/audio/podcast-mono-16k.wav"})
final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data-dir", defaultValue = ".emostream/broker",
            description = "Where the broker keeps its data between runs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--temp", description = "Keep the data in a temporary directory deleted on exit.")
    boolean temporary;

    @Option(names = "--partitions", defaultValue = "" + KafkaSettings.DEFAULT_PARTITIONS, description = "Partitions of each topic created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--topics", split = ",", paramLabel = "TOPIC,...",
            description = "Topics to create (default: audio.chunks, emotion.events, calls.summary, alerts, dead-letter).")
    List<String> topics = Topics.ALL;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        requirePortFree();
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder().host(host).port(port);
        if (!temporary) {
            builder.dataDir(dataDir);
        }
        EmbeddedKafka kafka = builder.start();
        kafka.createTopics(partitions, topics);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "emostream-broker-shutdown"));
        spec.commandLine().getOut().printf("Kafka is running at %s (data in %s) with topics %s, %d partitions each."
                        + " Ctrl-C stops it.%n", kafka.bootstrapServers(), kafka.dataDir(), String.join(", ", topics), partitions);
        spec.commandLine().getOut().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void requirePortFree() {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new EmotionCli.UserException("Port " + port + " on " + host + " is in use (is another Kafka running?);"
                    + " stop it, or choose another port with --port.", e);
        }
    }
}
