package io.emostream.launcher;

import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.launcher.tail.MissingTopicException;
import io.emostream.launcher.tail.RecordJson;
import io.emostream.launcher.tail.TopicTail;
import io.emostream.schema.codec.AnyRecordDecoder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the records of any emostream topic as JSON lines, one per record, as they arrive.",
            "Each line holds the record's partition, offset, key and timestamp, then its fields as the Avro schema"
                + " names them; a record that is not emostream's gets an \"error\" sentence instead, and tailing"
                + " goes on.",
            "The schema fingerprint in each record decides its type, so renamed topics and records written with older"
                + " schema versions print too. Only committed records are read (isolation.level=read_committed), as"
                + " emostream's own readers see them. No consumer group is joined and nothing is committed.",
            "Exit status: 0 when it read what was asked (--max reached, --timeout without --max, Ctrl-C), 1 when"
                + " --timeout ended it before --max records, the topic does not exist or Kafka cannot be used,"
                + " 2 for bad usage."},
        footer = {"", "Examples:",
            "  bin/emotion tail --topic emotion.events --call call-42 | jq .label",
            "  bin/emotion tail --topic audio.chunks --from-beginning --max 3",
            "  bin/emotion tail --topic dead-letter --from-beginning --timeout 5 --payload",
            "  bin/emotion tail --topic alerts --max 1 --timeout 300"})
final class TailCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "${EMOSTREAM_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}; env EMOSTREAM_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC",
            description = "Topic to read, e.g. emotion.events, audio.chunks, dead-letter.")
    String topic;

    @Option(names = "--from-beginning", description = "Read each partition from its start (default: only records that"
            + " arrive after tail starts).")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after printing N records (error lines included).")
    Long max;

    @Option(names = "--timeout", paramLabel = "S",
            description = "Stop after S seconds in which no record arrived on the topic (default: wait for ever).")
    Integer timeoutSeconds;

    @Option(names = "--call", paramLabel = "ID", description = "Print only the records whose key is ID (a call id, or"
            + " agent/NAME on groups.summary).")
    String callId;

    @Option(names = "--payload", description = "Show bytes fields (audio, a refused record's value) as base64 as well"
            + " as their length.")
    boolean payload;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties (security, timeouts) applied over tail's consumer defaults.")
    Path kafkaConfig;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw usage("--max must be at least 1, not " + max + ".");
        }
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            throw usage("--timeout must be at least 1 second, not " + timeoutSeconds + ".");
        }
        Properties overrides = kafkaConfig == null ? new Properties() : KafkaSettings.loadClientConfig(kafkaConfig);
        TopicTail.Limits limits = new TopicTail.Limits(callId, max == null ? 0 : max,
                timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds));
        RecordJson json = new RecordJson(AnyRecordDecoder.standard(), payload);
        PrintWriter out = spec.commandLine().getOut();
        TopicTail tail = open(new TopicTail.Settings(bootstrap, topic, fromBeginning, overrides));
        TopicTail.Ending ending;
        // Ctrl-C wakes the consumer, waits until the lines read so far are out and the consumer is closed, and ends
        // with 0: the JVM would exit with 130 for the signal, but stopping is how a tail without limits ends.
        try (CtrlC ctrlC = CtrlC.stops("emostream-tail-stop", tail::stop, Duration.ofSeconds(10),
                () -> Runtime.getRuntime().halt(0))) {
            try {
                ending = tail.follow(limits, record -> {
                    out.println(json.line(record));
                    out.flush();
                    // A reader that went away (`| head`) ends the tail: System.out does not throw on a broken pipe.
                    if (out.checkError() || System.out.checkError()) {
                        tail.stop();
                    }
                });
            } finally {
                tail.close();
                out.flush();
            }
        }
        if (ending.reason() == TopicTail.Reason.QUIET && max != null) {
            spec.commandLine().getErr().printf("tail: %d of %d records%s arrived before %d s passed without a new"
                    + " one.%n", ending.printed(), max, callId == null ? "" : " of " + callId, timeoutSeconds);
            return EmotionCli.INPUT_FAILED;
        }
        return 0;
    }

    private static TopicTail open(TopicTail.Settings settings) {
        try {
            return TopicTail.open(settings);
        } catch (MissingTopicException e) {
            throw new EmotionCli.UserException(e.getMessage(), e);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

}
