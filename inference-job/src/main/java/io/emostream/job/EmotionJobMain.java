package io.emostream.job;

import io.emostream.job.analysis.AnalysisSettings;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.policy.EmotionPolicy;
import io.emostream.job.phrases.PhraseRules;
import java.nio.file.Path;
import io.emostream.job.domain.DomainProfile;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's entry point on a Flink cluster: {@code flink run}, a standalone application cluster
 * ({@code standalone-job --job-classname io.emostream.job.EmotionJobMain ...}) or the Flink Kubernetes Operator.
 * The job jar is {@code inference-job/target/emostream-job.jar}.
 */
public final class EmotionJobMain {
    static final String USAGE = "arguments: --bootstrap HOST:PORT [--group-id ID] [--guarantee at-least-once|exactly-once]"
            + " [--asr none|sphinx|whisper:PATH] [--model cue|onnx:DIR|tensorrt:DIR|speechlm:URL|LOCAL+speechlm:URL] [--checkpoint-interval-ms MS] [--audio-topic T] [--events-topic T]"
            + " [--stream-ends-topic T] [--dead-letter-topic T] [--domain contact-centre|podcast|msp-podcast] [--rules FILE]"
            + " [--no-emotion-for ROLE,...]";
    private static final List<String> KNOWN = List.of("bootstrap", "group-id", "guarantee", "asr", "model", "checkpoint-interval-ms",
            "audio-topic", "events-topic", "stream-ends-topic", "dead-letter-topic", "domain", "rules", "no-emotion-for");

    private EmotionJobMain() {
    }

    public static void main(String[] args) throws Exception {
        JobConfig config = parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionJob.build(env, config);
        env.execute("emostream");
    }

    /** The job's settings from {@code --name value} pairs; a wrong one gets one sentence and the usage. */
    public static JobConfig parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !KNOWN.contains(name)) {
                throw new IllegalArgumentException("Unknown argument '" + args[i] + "'; " + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("--" + name + " needs a value; " + USAGE);
            }
            given.put(name, args[++i]);
        }
        if (!given.containsKey("bootstrap")) {
            throw new IllegalArgumentException("--bootstrap is required; " + USAGE);
        }
        JobConfig defaults = JobConfig.defaults(given.get("bootstrap"));
        JobConfig config = defaults
                .withGroupId(given.getOrDefault("group-id", defaults.groupId()))
                .withTopics(given.getOrDefault("audio-topic", defaults.audioTopic()),
                        given.getOrDefault("dead-letter-topic", defaults.deadLetterTopic()))
                .withEventsTopic(given.getOrDefault("events-topic", defaults.eventsTopic()))
                .withStreamEndsTopic(given.getOrDefault("stream-ends-topic", defaults.streamEndsTopic()))
                .withAsr(TranscribeUtterances.Settings.off().withRecognizer(given.getOrDefault("asr", TranscribeUtterances.Settings.NONE)))
                .withModel(given.getOrDefault("model", EmotionModels.DEFAULT))
                .withAnalysis(AnalysisSettings.defaults().withDomain(domain(given.get("domain"))).withRulesFile(given.get("rules"))
                        .withNoEmotionFor(noEmotionFor(given.get("no-emotion-for"))));
        if (given.containsKey("rules")) {
            // A bad rule file is named here, in one sentence, before the job is built.
            PhraseRules.load(Path.of(given.get("rules")));
        }
        if (given.containsKey("guarantee")) {
            config = config.withGuarantee(switch (given.get("guarantee")) {
                case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
                case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
                default -> throw new IllegalArgumentException("--guarantee is at-least-once or exactly-once, not '"
                        + given.get("guarantee") + "'");
            });
        }
        if (given.containsKey("checkpoint-interval-ms")) {
            try {
                config = config.withCheckpointInterval(Duration.ofMillis(Long.parseLong(given.get("checkpoint-interval-ms"))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--checkpoint-interval-ms takes milliseconds, not '"
                        + given.get("checkpoint-interval-ms") + "'", e);
            }
        }
        return config;
    }

    /** The roles of {@code --no-emotion-for} as SpeakerRole names; an unknown one gets one sentence. */
    private static List<String> noEmotionFor(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        try {
            return EmotionPolicy.withholdingFor(List.of(commaSeparated.split(","))).withheldRoles();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--no-emotion-for: " + e.getMessage(), e);
        }
    }

    /** The domain profile's id, or null to pick one by source; an unknown one gets one sentence. */
    private static String domain(String given) {
        if (given == null) {
            return null;
        }
        try {
            return DomainProfile.named(given).id();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--domain is " + DomainProfile.ALLOWED + ", not '" + given + "'", e);
        }
    }
}
