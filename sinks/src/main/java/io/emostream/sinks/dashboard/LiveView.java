package io.emostream.sinks.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.GroupKind;
import io.emostream.schema.GroupSummary;
import io.emostream.schema.PhraseHit;
import io.emostream.schema.RoleSummary;
import io.emostream.schema.SpeakerRole;
import io.emostream.sinks.calls.AlertRules;
import io.emostream.sinks.groups.GroupTracker;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.avro.generic.GenericData;

/**
 * What the dashboard shows, kept from the topics it reads: the latest summary of every call, its recent utterances,
 * and the alert feed. A call is live until its summary says it ended ({@code endedAtMs}); ended calls stay viewable
 * until the retention time has passed since their last event. Plain Java and synchronised: the feed thread writes,
 * HTTP threads read.
 * Renders JSON with the records' own field names; with transcripts hidden, no transcript text leaves it: not the
 * transcript, nor the words a phrase rule matched, nor the words a words-vs-voice mismatch quotes.
 */
public final class LiveView {
    static final int EVENTS_PER_CALL = 500;
    static final int ALERTS = 100;
    static final int SPARKLINE = 20;
    /** Ended calls listed beside the live ones, the most recently ended first. */
    static final int RECENTLY_ENDED = 20;
    /** Phrase categories a call view lists: the latest distinct ones. */
    static final int CATEGORIES = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean hideTranscripts;
    private final AlertRules rules;
    private final long retentionMs;
    private final LongSupplier clock;
    private final Map<String, CallSummary> summaries = new HashMap<>();
    private final Map<String, ArrayDeque<EmotionEvent>> events = new HashMap<>();
    private final Map<String, Integer> alertsPerCall = new HashMap<>();
    private final ArrayDeque<Alert> alerts = new ArrayDeque<>();
    private static final long FORGET_EVERY_MS = 60_000;
    private long forgottenAtMs;
    /** Latest summary per group and window length, e.g. "agent/sam" → {15 → …, 60 → …}. */
    private final Map<String, TreeMap<Integer, GroupSummary>> groups = new TreeMap<>();
    /** Agents whose latest utterance had its emotion withheld, by group key ("agent/sam"). */
    private final Set<String> withheldAgents = new java.util.HashSet<>();

    /**
     * @param hideTranscripts leave transcripts and transcript snippets out of everything served
     * @param retentionMs     a call without events for this long leaves the wallboard
     */
    public LiveView(boolean hideTranscripts, AlertRules rules, long retentionMs) {
        this(hideTranscripts, rules, retentionMs, System::currentTimeMillis);
    }

    LiveView(boolean hideTranscripts, AlertRules rules, long retentionMs, LongSupplier clock) {
        this.hideTranscripts = hideTranscripts;
        this.rules = rules;
        this.retentionMs = retentionMs;
        this.clock = clock;
    }

    /** Calls held in memory, with a summary or with utterances only. */
    synchronized int heldCalls() {
        java.util.Set<String> held = new java.util.HashSet<>(summaries.keySet());
        held.addAll(events.keySet());
        return held.size();
    }

    public boolean hideTranscripts() {
        return hideTranscripts;
    }

    /** Takes in a call's new summary and returns the call as the wallboard shows it. */
    public synchronized ObjectNode onSummary(CallSummary summary) {
        forgetQuietCallsNowAndThen(clock.getAsLong());
        summaries.put(summary.getCallId(), summary);
        return callView(summary);
    }

    /** Takes in an utterance and returns it as served. */
    public synchronized ObjectNode onEvent(EmotionEvent event) {
        forgetQuietCallsNowAndThen(clock.getAsLong());
        ArrayDeque<EmotionEvent> call = events.computeIfAbsent(event.getCallId(), id -> new ArrayDeque<>());
        if (call.stream().noneMatch(e -> e.getUtteranceId().equals(event.getUtteranceId()))) {
            call.addLast(event);
            if (call.size() > EVENTS_PER_CALL) {
                call.removeFirst();
            }
            if (event.getRole() == SpeakerRole.AGENT && event.getSpeaker() != null) {
                String agent = GroupTracker.key(GroupKind.AGENT, event.getSpeaker());
                if (event.getEmotionWithheld() != null) {
                    withheldAgents.add(agent);
                } else {
                    withheldAgents.remove(agent);
                }
            }
        }
        return event(event);
    }

    /** Takes in an alert and returns it as served. */
    public synchronized ObjectNode onAlert(Alert alert) {
        if (alerts.stream().noneMatch(a -> a.getAlertId().equals(alert.getAlertId()))) {
            alerts.addFirst(alert);
            alertsPerCall.merge(alert.getCallId(), 1, Integer::sum);
            if (alerts.size() > ALERTS) {
                alerts.removeLast();
            }
        }
        return alert(alert);
    }

    /** Takes in an agent's or a series' summary and returns the group as served, with all its windows. */
    public synchronized ObjectNode onGroup(String key, GroupSummary summary) {
        groups.computeIfAbsent(key, k -> new TreeMap<>()).put(summary.getWindowMinutes(), summary);
        return groupView(key);
    }

    /** Agents first, then series, each by name; a group without events for the retention time is left out. */
    public synchronized ObjectNode groups(long nowMs) {
        groups.values().removeIf(windows -> windows.values().stream().allMatch(s -> s.getWindowEndMs() < nowMs - retentionMs));
        ArrayNode list = JSON.createArrayNode();
        groups.keySet().stream().sorted(Comparator.comparing((String key) -> !key.startsWith("agent/")).thenComparing(key -> key))
                .map(this::groupView).forEach(list::add);
        ObjectNode body = JSON.createObjectNode();
        body.set("groups", list);
        return body;
    }

    private ObjectNode groupView(String key) {
        TreeMap<Integer, GroupSummary> windows = groups.get(key);
        GroupSummary any = windows.firstEntry().getValue();
        ObjectNode node = JSON.createObjectNode();
        node.put("key", key);
        node.put("kind", any.getKind().name());
        node.put("name", any.getName());
        // The summary's emotion figures are 0 when none was analysed; the page shows the policy instead.
        node.put("emotionWithheld", withheldAgents.contains(key));
        ObjectNode byLength = node.putObject("windows");
        windows.forEach((minutes, summary) -> byLength.set(Integer.toString(minutes), record(summary)));
        return node;
    }

    /** Live calls, those needing attention first, and the calls that ended most recently, newest first. */
    public synchronized ObjectNode calls(long nowMs) {
        forgetQuietCalls(nowMs);
        ArrayNode live = JSON.createArrayNode();
        summaries.values().stream().filter(s -> s.getEndedAtMs() == null).map(this::callView).sorted(ATTENTION_FIRST)
                .forEach(live::add);
        ArrayNode ended = JSON.createArrayNode();
        summaries.values().stream().filter(s -> s.getEndedAtMs() != null)
                .sorted(Comparator.comparingLong(CallSummary::getEndedAtMs).reversed()
                        .thenComparing(CallSummary::getCallId))
                .limit(RECENTLY_ENDED).map(this::callView).forEach(ended::add);
        ObjectNode body = JSON.createObjectNode();
        body.set("calls", live);
        body.set("ended", ended);
        return body;
    }

    /** One call, live or ended, with its utterances in stream order; empty when the call is no longer held. */
    public synchronized Optional<ObjectNode> call(String callId) {
        CallSummary summary = summaries.get(callId);
        if (summary == null) {
            return Optional.empty();
        }
        ArrayNode list = JSON.createArrayNode();
        events.getOrDefault(callId, new ArrayDeque<>()).stream()
                .sorted(Comparator.comparingLong(EmotionEvent::getStartMs).thenComparingInt(EmotionEvent::getChannel))
                .map(this::event).forEach(list::add);
        ObjectNode body = JSON.createObjectNode();
        body.set("call", callView(summary));
        body.set("events", list);
        return Optional.of(body);
    }

    public synchronized ObjectNode alerts() {
        ArrayNode list = JSON.createArrayNode();
        alerts.stream().map(this::alert).forEach(list::add);
        ObjectNode body = JSON.createObjectNode();
        body.set("alerts", list);
        return body;
    }

    /** 2 escalating, 1 worth watching, 0 calm: the wallboard's first sort key. */
    int attention(CallSummary summary) {
        double score = summary.getEscalationScore();
        boolean alerted = alertsPerCall.getOrDefault(summary.getCallId(), 0) > 0;
        if (score >= rules.escalationThreshold() || (alerted && score >= rules.escalationReset())) {
            return 2;
        }
        return alerted || score >= rules.escalationReset() / 2 || summary.getEscalationTrend() > 0.1 ? 1 : 0;
    }

    private static final Comparator<ObjectNode> ATTENTION_FIRST = Comparator
            .comparingInt((ObjectNode call) -> -call.get("attention").asInt())
            .thenComparingDouble(call -> -call.get("escalationScore").asDouble())
            .thenComparingLong(call -> -call.get("lastEventTimeMs").asLong());

    private ObjectNode callView(CallSummary summary) {
        ObjectNode call = record(summary);
        call.put("live", summary.getEndedAtMs() == null);
        call.put("attention", attention(summary));
        call.put("openAlerts", alertsPerCall.getOrDefault(summary.getCallId(), 0));
        ArrayDeque<EmotionEvent> heard = events.getOrDefault(summary.getCallId(), new ArrayDeque<>());
        Map<String, List<EmotionEvent>> byRole = new TreeMap<>();
        for (EmotionEvent event : heard) {
            byRole.computeIfAbsent(event.getRole().name(), r -> new ArrayList<>()).add(event);
        }
        ArrayNode categories = call.putArray("categories");
        heard.stream().sorted(Comparator.comparingLong(EmotionEvent::getStartMs).reversed())
                .flatMap(event -> event.getPhrases().stream().map(PhraseHit::getCategory)).distinct().limit(CATEGORIES)
                .forEach(categories::add);
        ArrayNode policies = call.putArray("emotionPolicies");
        heard.stream().map(EmotionEvent::getEmotionWithheld).filter(Objects::nonNull).distinct().sorted()
                .forEach(policies::add);
        ArrayNode roles = call.putArray("roles");
        for (RoleSummary role : summary.getRoles()) {
            ObjectNode node = record(role);
            List<EmotionEvent> recent = byRole.getOrDefault(role.getRole().name(), List.of()).stream()
                    .sorted(Comparator.comparingLong(EmotionEvent::getStartMs)).toList();
            recent = recent.subList(Math.max(0, recent.size() - SPARKLINE), recent.size());
            ArrayNode arousal = node.putArray("recentArousal");
            ArrayNode valence = node.putArray("recentValence");
            recent.stream().filter(e -> e.getArousal() != null && e.getValence() != null).forEach(e -> {
                arousal.add(e.getArousal());
                valence.add(e.getValence());
            });
            roles.add(node);
        }
        return call;
    }

    private ObjectNode event(EmotionEvent event) {
        ObjectNode node = record(event);
        if (hideTranscripts) {
            node.putNull("transcript");
            node.put("transcriptStatus", "HIDDEN");
            node.get("phrases").forEach(hit -> ((ObjectNode) hit).putNull("text"));
            if (event.getMismatch() != null) {
                ((ObjectNode) node.get("mismatch")).put("words",
                        event.getMismatch().getWordsValence() >= 0 ? "positive words" : "negative words");
            }
        }
        return node;
    }

    private ObjectNode alert(Alert alert) {
        ObjectNode node = record(alert);
        if (hideTranscripts) {
            node.get("evidence").forEach(evidence -> ((ObjectNode) evidence).putNull("transcriptSnippet"));
        }
        return node;
    }

    /**
     * Calls quiet for the retention time are forgotten as records arrive, at most once a minute, not only when a
     * browser asks: with no dashboard open, and while reading the topics from their start, memory holds recent calls only.
     */
    private void forgetQuietCallsNowAndThen(long nowMs) {
        if (nowMs - forgottenAtMs < FORGET_EVERY_MS) {
            return;
        }
        forgottenAtMs = nowMs;
        forgetQuietCalls(nowMs);
        // Utterances of calls whose summary never came (or went) are forgotten by their own time.
        events.values().removeIf(call -> call.isEmpty() || call.peekLast().getEmitTimeMs() < nowMs - retentionMs);
        alertsPerCall.keySet().removeIf(id -> !summaries.containsKey(id) && !events.containsKey(id));
        groups.values().removeIf(windows -> windows.values().stream().allMatch(s -> s.getWindowEndMs() < nowMs - retentionMs));
        withheldAgents.retainAll(groups.keySet());
    }

    private void forgetQuietCalls(long nowMs) {
        List<String> quiet = summaries.values().stream().filter(s -> s.getLastEventTimeMs() < nowMs - retentionMs)
                .map(CallSummary::getCallId).toList();
        quiet.forEach(id -> {
            summaries.remove(id);
            events.remove(id);
            alertsPerCall.remove(id);
        });
    }

    /** Avro's own JSON rendering of a record, with the schema's field names, as a tree to adjust. */
    private static ObjectNode record(Object avroRecord) {
        try {
            return (ObjectNode) JSON.readTree(GenericData.get().toString(avroRecord));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("Avro rendered a record that is not JSON", e);
        }
    }
}
