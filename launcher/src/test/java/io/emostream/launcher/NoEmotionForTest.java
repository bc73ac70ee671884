package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --no-emotion-for as a user gives it: the real pipeline for analyze, the parsing for demo and evaluate. */
@Timeout(240)
class NoEmotionForTest {
    private static final Path FIXTURES = Path.of(System.getProperty("emostream.fixtures"));
    private static final String BOGUS = "--no-emotion-for: unknown speaker role 'bogus'; use one of agent, customer, host,"
            + " guest, unknown.";

    @Test
    void everyAgentUtteranceIsWithheldAndTheCustomersAreLabelled(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("events.jsonl");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        cli.setErr(new PrintWriter(stderr, true));

        int status = cli.execute("analyze", "--roles", "agent,customer", "--no-emotion-for", "agent", "--out", out.toString(),
                FIXTURES.resolve("call-stereo-8k-mulaw.wav").toString());

        assertThat(status).as(stderr.toString()).isZero();
        List<JsonNode> agent = new ArrayList<>();
        List<JsonNode> customer = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out)) {
            JsonNode event = json.readTree(line);
            (event.path("role").asText().equals("AGENT") ? agent : customer).add(event);
        }
        assertThat(agent).isNotEmpty().allSatisfy(event -> {
            assertThat(event.path("channel").asInt()).isZero();
            assertThat(event.path("emotionWithheld").asText()).isEqualTo("no-emotion-for AGENT");
            for (String empty : List.of("label", "arousal", "valence", "confidence", "mismatch")) {
                assertThat(event.path(empty).isNull()).as(empty).isTrue();
            }
            assertThat(event.path("scores").size()).isZero();
            assertThat(event.path("uncertain").asBoolean(true)).isFalse();
            assertThat(event.path("speechLm").isNull()).isTrue();
            assertThat(event.path("modelId").asText()).isEqualTo("emotion-policy/1");
            assertThat(event.path("fieldSources").has("label")).isFalse();
            assertThat(event.path("rationale").asText()).startsWith("No emotion analysed (policy no-emotion-for AGENT).");
            List<String> cues = new ArrayList<>();
            event.path("cues").forEach(cue -> cues.add(cue.path("name").asText()));
            assertThat(cues).containsExactly("speaking_rate_syl_per_s", "pause_ratio");
            event.path("cues").forEach(cue -> assertThat(cue.path("zScore").isNull()).isTrue());
        });
        assertThat(customer).isNotEmpty().allSatisfy(event -> {
            assertThat(event.path("role").asText()).isEqualTo("CUSTOMER");
            assertThat(event.path("emotionWithheld").isNull()).isTrue();
            assertThat(event.path("label").asText()).isNotBlank();
            assertThat(event.path("arousal").isNumber()).isTrue();
            assertThat(event.path("cues").size()).isGreaterThan(3);
        });
        assertThat(stdout.toString()).contains("emotion withheld (policy) " + agent.size());
    }

    @Test
    void anUnknownRoleIsOneSentenceBeforeAnythingStarts(@TempDir Path dir) {
        Path out = dir.resolve("events.jsonl");
        for (List<String> args : List.of(
                List.of("analyze", "--no-emotion-for", "agent,bogus", "--out", out.toString(),
                        FIXTURES.resolve("call-stereo-8k-mulaw.wav").toString()),
                List.of("demo", "--no-emotion-for", "bogus"),
                List.of("evaluate", "--no-emotion-for", "bogus", "--manifest", "set.csv", "--out", dir.toString()))) {
            StringWriter stderr = new StringWriter();
            CommandLine cli = EmotionCli.commandLine();
            cli.setErr(new PrintWriter(stderr, true));

            assertThat(cli.execute(args.toArray(String[]::new))).as(args.get(0)).isEqualTo(2);
            assertThat(stderr.toString()).startsWith(args.get(0) + ": " + BOGUS + System.lineSeparator());
        }
        assertThat(out).as("nothing ran").doesNotExist();
    }

    @Test
    void theDemoTakesTheRolesForItsJob() {
        CommandLine.ParseResult parsed = EmotionCli.commandLine().parseArgs("demo", "--no-emotion-for", "agent, Customer");
        CommandLine.Model.CommandSpec demo = parsed.subcommand().commandSpec();

        assertThat(((DemoCommand) demo.userObject()).analysisOptions.settings(demo).noEmotionFor())
                .containsExactly("AGENT", "CUSTOMER");
        CommandLine.Model.CommandSpec plain = EmotionCli.commandLine().parseArgs("demo").subcommand().commandSpec();
        assertThat(((DemoCommand) plain.userObject()).analysisOptions.settings(plain).noEmotionFor()).isEmpty();
    }
}
