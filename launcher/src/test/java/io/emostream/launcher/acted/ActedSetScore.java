package io.emostream.launcher.acted;

import com.fasterxml.jackson.databind.JsonNode;
import io.emostream.launcher.acted.ActedSet.Item;
import io.emostream.launcher.acted.ActedSet.Turn;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the events and alerts of a run compare with what the set expects, turn by turn: the label family (right,
 * unsure but naming the right family among its candidates, unsure otherwise, wrong, or no event), the mismatches and
 * phrase categories flagged, and the alerts raised per item.
 */
public final class ActedSetScore {
    /** Which family a label of the default set belongs to; surprise belongs to none the set expects. */
    static final Map<String, String> FAMILY = Map.of("neutral", "calm", "happy", "pleased", "angry", "upset",
            "disgusted", "upset", "contemptuous", "upset", "sad", "down", "fearful", "anxious", "surprised", "surprised");
    /** An uncertain event's candidates: the labels scoring at least this share of the top score. */
    static final double CANDIDATE_SHARE = 0.5;

    enum Outcome { RIGHT, UNSURE_RIGHT_AMONG, UNSURE_OTHER, WRONG, NO_EVENT }

    /** One turn's result. */
    record TurnResult(Item item, Turn turn, Outcome outcome, String label, boolean uncertain, Set<String> candidates,
                      boolean mismatch, Set<String> categories) {
    }

    final List<TurnResult> turns = new ArrayList<>();
    int alertsExpected;
    int alertsRaisedAsExpected;
    final List<String> unexpectedAlerts = new ArrayList<>();
    final List<String> missedAlerts = new ArrayList<>();
    /** Phrase rule alerts ({@code phrase:CATEGORY}): whether the item expected that category on some turn. */
    final List<String> phraseAlertsExpected = new ArrayList<>();
    final List<String> phraseAlertsUnexpected = new ArrayList<>();

    /** Scores the items of one split from the run's events and alerts (all items' events may be mixed in). */
    static ActedSetScore of(List<Item> items, List<JsonNode> events, List<JsonNode> alerts) {
        ActedSetScore score = new ActedSetScore();
        for (Item item : items) {
            List<JsonNode> mine = events.stream().filter(e -> e.path("callId").asText().equals(item.name)).toList();
            for (Turn turn : item.turns) {
                score.turns.add(score(item, turn, mine));
            }
            Set<String> expected = new LinkedHashSet<>();
            item.turns.forEach(turn -> expected.addAll(turn.alerts));
            List<String> raised = alerts.stream().filter(a -> a.path("callId").asText().equals(item.name))
                    .map(a -> a.path("rule").asText()).filter(rule -> !rule.startsWith("phrase:")).toList();
            // A phrase alert is the pack's answer to a category, so it is held against the categories the set expects.
            Set<String> categories = new LinkedHashSet<>();
            item.turns.forEach(turn -> categories.addAll(turn.categories));
            alerts.stream().filter(a -> a.path("callId").asText().equals(item.name))
                    .map(a -> a.path("rule").asText()).filter(rule -> rule.startsWith("phrase:"))
                    .forEach(rule -> (categories.contains(rule.substring("phrase:".length()))
                            ? score.phraseAlertsExpected : score.phraseAlertsUnexpected).add(item.name + ": " + rule));
            score.alertsExpected += expected.size();
            List<String> unmatched = new ArrayList<>(raised);
            for (String rule : expected) {
                if (unmatched.remove(rule)) {
                    score.alertsRaisedAsExpected++;
                } else {
                    score.missedAlerts.add(item.name + ": " + rule);
                }
            }
            unmatched.forEach(rule -> score.unexpectedAlerts.add(item.name + ": " + rule));
        }
        return score;
    }

    /** The event that overlaps the turn most on its channel decides the label; flags come from any overlapping one. */
    private static TurnResult score(Item item, Turn turn, List<JsonNode> events) {
        JsonNode best = null;
        long bestOverlap = 0;
        boolean mismatch = false;
        Set<String> categories = new LinkedHashSet<>();
        for (JsonNode event : events) {
            if (event.path("channel").asInt() != turn.channel) {
                continue;
            }
            long overlap = Math.min(turn.endMs, event.path("endMs").asLong()) - Math.max(turn.startMs, event.path("startMs").asLong());
            if (overlap <= 0) {
                continue;
            }
            mismatch |= !event.path("mismatch").isNull() && !event.path("mismatch").isMissingNode();
            event.path("phrases").forEach(hit -> categories.add(hit.path("category").asText()));
            if (overlap > bestOverlap) {
                bestOverlap = overlap;
                best = event;
            }
        }
        if (best == null) {
            return new TurnResult(item, turn, Outcome.NO_EVENT, null, false, Set.of(), mismatch, categories);
        }
        String label = best.path("label").isNull() ? null : best.path("label").asText();
        boolean uncertain = best.path("uncertain").asBoolean(false);
        Set<String> candidates = candidates(best.path("scores"));
        String family = label == null ? null : FAMILY.getOrDefault(label, label);
        Outcome outcome;
        if (uncertain) {
            outcome = candidates.contains(turn.family) ? Outcome.UNSURE_RIGHT_AMONG : Outcome.UNSURE_OTHER;
        } else {
            outcome = turn.family.equals(family) ? Outcome.RIGHT : Outcome.WRONG;
        }
        return new TurnResult(item, turn, outcome, label, uncertain, candidates, mismatch, categories);
    }

    private static Set<String> candidates(JsonNode scores) {
        double top = 0;
        for (Iterator<JsonNode> values = scores.elements(); values.hasNext(); ) {
            top = Math.max(top, values.next().asDouble());
        }
        Set<String> families = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = scores.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().asDouble() >= CANDIDATE_SHARE * top) {
                families.add(FAMILY.getOrDefault(field.getKey(), field.getKey()));
            }
        }
        return families;
    }

    long count(Outcome outcome) {
        return turns.stream().filter(t -> t.outcome() == outcome).count();
    }

    /** The part of the report for this split: outcomes, outcomes by expected family, flags and alerts. */
    String markdown(String title) {
        StringBuilder md = new StringBuilder();
        int n = turns.size();
        md.append("### ").append(title).append("\n\n");
        md.append("| Turns | Right family | Unsure, right family among its candidates | Unsure, other | Wrong | No event |\n");
        md.append("|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s |%n%n", n, share(count(Outcome.RIGHT), n),
                share(count(Outcome.UNSURE_RIGHT_AMONG), n), share(count(Outcome.UNSURE_OTHER), n),
                share(count(Outcome.WRONG), n), share(count(Outcome.NO_EVENT), n)));
        Map<String, int[]> byFamily = new TreeMap<>();
        Map<String, Map<String, Integer>> labelsByFamily = new TreeMap<>();
        for (TurnResult t : turns) {
            int[] counts = byFamily.computeIfAbsent(t.turn().family, f -> new int[Outcome.values().length]);
            counts[t.outcome().ordinal()]++;
            labelsByFamily.computeIfAbsent(t.turn().family, f -> new TreeMap<>())
                    .merge(t.label() == null ? "(none)" : t.label() + (t.uncertain() ? "?" : ""), 1, Integer::sum);
        }
        md.append("| Expected family | Turns | Right | Unsure, right among | Unsure, other | Wrong | No event | Labels given (? = uncertain) |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        byFamily.forEach((family, counts) -> {
            int total = 0;
            for (int c : counts) {
                total += c;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %s |%n", family, total, counts[0],
                    counts[1], counts[2], counts[3], counts[4], labelsByFamily.get(family)));
        });
        long mismatchesExpected = turns.stream().filter(t -> t.turn().mismatch).count();
        long mismatchesFound = turns.stream().filter(t -> t.turn().mismatch && t.mismatch()).count();
        long mismatchesExtra = turns.stream().filter(t -> !t.turn().mismatch && t.mismatch()).count();
        long categoriesExpected = turns.stream().mapToLong(t -> t.turn().categories.size()).sum();
        long categoriesFound = turns.stream().mapToLong(t -> t.turn().categories.stream().filter(t.categories()::contains).count()).sum();
        long categoriesExtra = turns.stream().mapToLong(t -> t.categories().stream().filter(c -> !t.turn().categories.contains(c)).count()).sum();
        md.append('\n');
        md.append(String.format(Locale.ROOT, "- Words-vs-voice mismatches: %d of %d expected flagged; %d flagged on other turns.%n",
                mismatchesFound, mismatchesExpected, mismatchesExtra));
        md.append(String.format(Locale.ROOT, "- Phrase categories: %d of %d expected found; %d found that were not expected.%n",
                categoriesFound, categoriesExpected, categoriesExtra));
        md.append(String.format(Locale.ROOT, "- Alerts (other than phrase rules): %d of %d expected raised%s; %d not expected%s.%n",
                alertsRaisedAsExpected, alertsExpected, missedAlerts.isEmpty() ? "" : " (missed: " + String.join(", ", missedAlerts) + ")",
                unexpectedAlerts.size(), unexpectedAlerts.isEmpty() ? "" : " (" + String.join(", ", unexpectedAlerts) + ")"));
        md.append(String.format(Locale.ROOT, "- Phrase rule alerts: %d on an expected category%s; %d on another%s.%n",
                phraseAlertsExpected.size(), phraseAlertsExpected.isEmpty() ? "" : " (" + String.join(", ", phraseAlertsExpected) + ")",
                phraseAlertsUnexpected.size(), phraseAlertsUnexpected.isEmpty() ? "" : " (" + String.join(", ", phraseAlertsUnexpected) + ")"));
        return md.toString();
    }

    /** Every turn, for the record: what was expected and what came out. */
    String turnsTsv() {
        StringBuilder tsv = new StringBuilder("item\tsplit\tturn_start_s\trole\tstyle\texpected\toutcome\tlabel\tuncertain\tcandidates"
                + "\tmismatch_expected\tmismatch\tcategories_expected\tcategories\ttext\n");
        for (TurnResult t : turns) {
            tsv.append(String.join("\t", t.item().name, t.item().heldOut ? "held-out" : "tuning",
                    String.format(Locale.ROOT, "%.2f", t.turn().startMs / 1000.0), t.turn().role, t.turn().style,
                    t.turn().family, t.outcome().name(), String.valueOf(t.label()), String.valueOf(t.uncertain()),
                    String.join(",", t.candidates()), String.valueOf(t.turn().mismatch), String.valueOf(t.mismatch()),
                    String.join(",", t.turn().categories), String.join(",", t.categories()), t.turn().text)).append('\n');
        }
        return tsv.toString();
    }

    private static String share(long count, int total) {
        return String.format(Locale.ROOT, "%d (%.0f %%)", count, total == 0 ? 0.0 : 100.0 * count / total);
    }
}
