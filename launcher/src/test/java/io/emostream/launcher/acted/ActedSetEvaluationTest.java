package io.emostream.launcher.acted;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.launcher.EmotionCli;
import io.emostream.launcher.acted.ActedSet.Item;
import io.emostream.launcher.acted.ActedSetScore.Outcome;
import io.emostream.launcher.acted.ActedSetScore.TurnResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs {@code bin/emotion analyze} on the acted evaluation set ({@code evaluation/acted/set.txt}) and writes the report
 * that docs/evaluation.md quotes to {@code launcher/target/acted-set/report.md} (every turn in {@code turns-*.tsv}).
 * Without words by default; {@code -Demostream.acted.asr=none,sphinx} adds a run with the embedded recogniser (about
 * real time on two cores, so the build's own run leaves it out), and {@code -Demostream.acted.split=tuning} runs only the
 * tuning half (what the estimator was adjusted on; the held-out half is never run alone). Its assertions are the red lines, not figures
 * tuned to pass.
 */
class ActedSetEvaluationTest {
    private static final Path SET = Path.of(System.getProperty("emostream.evaluation"), "acted", "set.txt");
    private static final Path OUT = Path.of("target/acted-set");
    private static final Set<String> CONFIDENT_RED_LINE = Set.of("happy", "surprised");

    @Test
    void theActedSetIsAnalysedAndItsRedLinesHold() throws Exception {
        String only = System.getProperty("emostream.acted.split", "");
        List<Item> items = ActedSet.read(SET).stream().filter(i -> !only.equals("tuning") || !i.heldOut).toList();
        assertThat(items).hasSizeGreaterThanOrEqualTo(only.equals("tuning") ? 6 : 12);
        Files.createDirectories(OUT.resolve("audio"));
        for (Item item : items) {
            ActedSet.render(item, OUT.resolve("audio"));
        }
        StringBuilder report = new StringBuilder("# The acted evaluation set: results\n\n")
                .append("Run on ").append(LocalDate.now()).append(" by ActedSetEvaluationTest over ")
                .append(items.size()).append(" items (").append(items.stream().mapToInt(i -> i.turns.size()).sum())
                .append(" turns) of evaluation/acted/set.txt. Synthetic flite speech, acted by prosody settings: not a measure of ")
                .append("emotion recognition on real speech.\n\n");
        List<TurnResult> all = new ArrayList<>();
        for (String asr : System.getProperty("emostream.acted.asr", "none").split(",")) {
            List<JsonNode> events = new ArrayList<>();
            List<JsonNode> alerts = new ArrayList<>();
            analyse(items.stream().filter(i -> i.stereo).toList(), asr, List.of("--roles", "agent,customer"), events, alerts);
            analyse(items.stream().filter(i -> !i.stereo).toList(), asr, List.of(), events, alerts);
            report.append("## ASR ").append(asr).append("\n\n");
            for (boolean heldOut : only.equals("tuning") ? List.of(false) : List.of(false, true)) {
                List<Item> split = items.stream().filter(i -> i.heldOut == heldOut).toList();
                ActedSetScore score = ActedSetScore.of(split, events, alerts);
                String name = heldOut ? "held-out" : "tuning";
                report.append(score.markdown(name + " half (" + split.stream().map(i -> i.name).toList() + ")")).append('\n');
                Files.writeString(OUT.resolve("turns-" + asr + "-" + name + ".tsv"), score.turnsTsv());
                all.addAll(score.turns);
            }
        }
        Files.writeString(OUT.resolve("report.md"), report);
        System.out.println(report);

        assertThat(all).as("every turn of the set was found and analysed")
                .noneMatch(t -> t.outcome() == Outcome.NO_EVENT);
        assertThat(all).as("a shouting speaker is never shown as confidently happy or surprised")
                .noneMatch(t -> t.turn().style.equals("shout") && !t.uncertain() && CONFIDENT_RED_LINE.contains(t.label()));
    }

    private static void analyse(List<Item> items, String asr, List<String> roles, List<JsonNode> events,
                                List<JsonNode> alerts) throws Exception {
        Path dir = OUT.resolve("run-" + asr + "-" + (roles.isEmpty() ? "mono" : "stereo"));
        Files.createDirectories(dir);
        List<String> args = new ArrayList<>(List.of("analyze", "--asr", asr, "--out", dir.resolve("events.jsonl").toString(),
                "--alerts-out", dir.resolve("alerts.jsonl").toString()));
        args.addAll(roles);
        items.forEach(item -> args.add(OUT.resolve("audio").resolve(item.name + ".wav").toString()));
        StringWriter stderr = new StringWriter();
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(stderr, true));
        assertThat(cli.execute(args.toArray(String[]::new))).as("analyze: %s", stderr).isZero();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
            events.add(json.readTree(line));
        }
        for (String line : Files.readAllLines(dir.resolve("alerts.jsonl"))) {
            alerts.add(json.readTree(line));
        }
    }
}
