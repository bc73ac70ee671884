package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --rules: a phrase rule file is read as the command line is parsed, so a bad one stops the command before it starts. */
class RulesOptionTest {

    @Test
    void aBadRuleFileIsNamedWithItsLineBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path rules = Files.write(dir.resolve("my.rules"), List.of("[category churn_risk]", "valence = -2",
                "[rule churn]", "category = churn_risk", "role = caller", "phrase = cancel"), StandardCharsets.UTF_8);
        Path out = dir.resolve("events.jsonl");
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setErr(new PrintWriter(stderr, true));

        int status = cli.execute("analyze", "--out", out.toString(), "--rules", rules.toString(), "no-such.wav");

        assertThat(status).isEqualTo(2);
        assertThat(stderr.toString()).startsWith("analyze: Invalid value for option '--rules': Phrase rule file " + rules
                + ", line 5: role 'caller' is not any, agent, customer, host or guest.");
        assertThat(out).doesNotExist();
    }

    @Test
    void aMissingRuleFileIsNamedToo(@TempDir Path dir) {
        Path missing = dir.resolve("missing.rules");
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setErr(new PrintWriter(stderr, true));

        int status = cli.execute("analyze", "--out", dir.resolve("e.jsonl").toString(), "--rules", missing.toString(), "x.wav");

        assertThat(status).isEqualTo(2);
        assertThat(stderr.toString()).startsWith("analyze: Invalid value for option '--rules': Phrase rule file " + missing
                + " cannot be read: there is no such file.");
    }
}
