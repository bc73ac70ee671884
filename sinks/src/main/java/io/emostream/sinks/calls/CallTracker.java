package io.emostream.sinks.calls;

import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.Evidence;
import io.emostream.schema.RoleSummary;
import io.emostream.schema.Severity;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.StreamEnd;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything known about one call (or episode) from its events, and the alert rules applied to it: plain Java,
 * kept as one value per call in the Streams state store (public fields, so Jackson can store it).
 *
 * <p>Events of a call arrive in the order the job wrote them, which is not quite stream order: channels are
 * analysed side by side and transcripts finish out of order. Nothing here assumes more: an event seen before (an
 * at-least-once replay) changes nothing, and an event from the past never opens a silence.
 *
 * <p>A call is live until every one of its channels has ended ({@link #end}): all the channels its audio declared,
 * or, when it declared none, every channel heard from. Events that arrive after that (utterances cut at the end,
 * analysed after the end was announced) still count and leave the call ended; an utterance that starts after where
 * its channel ended means the channel came back (a stream resumed after going idle), and the call is live again.
 */
public final class CallTracker {
    /** Utterance ids remembered to drop replays; far more than an at-least-once sink ever repeats. */
    static final int REMEMBERED_IDS = 512;
    /** Weight of the newest utterance in running arousal, valence and the escalation score. */
    static final double SMOOTHING = 0.35;
    /** The escalation trend is the score's change over this much stream time, per minute. */
    static final long TREND_WINDOW_MS = 60_000;
    static final long SHORTEST_TREND_SPAN_MS = 5_000;
    static final int EVIDENCE = 5;
    static final int SNIPPET_CHARS = 160;
    private static final Set<String> HOSTILE = Set.of("angry", "disgusted", "contemptuous", "contempt/disgust");

    public String callId;
    public String source = "";
    public long firstEventTimeMs;
    public long lastEventTimeMs;
    public int utterances;
    public String lastUtteranceId;
    public TreeMap<String, RoleTracker> roles = new TreeMap<>();
    public double escalationScore;
    public double escalationTrend;
    public ArrayDeque<ScorePoint> scoreHistory = new ArrayDeque<>();
    /** High-arousal, not positive utterances in a row from anyone but the agent. */
    public int hotRun;
    public boolean escalationOpen;
    public boolean agentSpikeOpen;
    /** Latest end of any utterance, in stream ms; a later start beyond it by the silence threshold is a silence. */
    public long heardUntilMs = -1;
    public Heard lastHeard;
    public ArrayDeque<String> recentIds = new ArrayDeque<>();
    /** Kafka timestamp of the call's latest record (an event or a stream's end): what retention compares with. */
    public long lastRecordMs;
    /** Channels heard from, by events or by their end, with the latest utterance start heard on each (-1: none). */
    public TreeMap<Integer, Long> latestStartMs = new TreeMap<>();
    /** How many channels the call has, when its audio said (else null). */
    public Integer channels;
    /** Where each ended channel ended, in ms from the stream's start. */
    public TreeMap<Integer, Long> channelsEnded = new TreeMap<>();
    /** When the last channel ended (epoch ms, the job's decision); null while the call is live. */
    public Long endedAtMs;

    /** What one event changed: nothing for a replay; otherwise the new summary and any alerts it raised. */
    public record Update(boolean replay, CallSummary summary, List<Alert> alerts) {
    }

    /** One utterance as alerts cite it. */
    public static final class Heard {
        public String utteranceId;
        public String role;
        public String label;
        public double arousal;
        public double valence;
        public String rationale;
        public String transcript;
        public long startMs;
        public long endMs;

        Evidence asEvidence() {
            String snippet = transcript == null || transcript.length() <= SNIPPET_CHARS ? transcript
                    : transcript.substring(0, SNIPPET_CHARS - 1) + "…";
            return Evidence.newBuilder().setUtteranceId(utteranceId).setLabel(label).setArousal(arousal)
                    .setValence(valence).setRationale(rationale).setTranscriptSnippet(snippet).build();
        }
    }

    /** The escalation score at a point of stream time. */
    public static final class ScorePoint {
        public long atMs;
        public double score;
    }

    /**
     * The alerts a recording raises: its events taken in the order given (analysing files: stream order), through
     * one tracker per call, exactly as the Streams application would take them in.
     */
    public static List<Alert> alertsOf(List<EmotionEvent> events, AlertRules rules) {
        Map<String, CallTracker> calls = new HashMap<>();
        List<Alert> alerts = new ArrayList<>();
        for (EmotionEvent event : events) {
            alerts.addAll(calls.computeIfAbsent(event.getCallId(), CallTracker::start).apply(event, rules).alerts());
        }
        return alerts;
    }

    public static CallTracker start(String callId) {
        CallTracker tracker = new CallTracker();
        tracker.callId = callId;
        return tracker;
    }

    /** Takes in one event of this call and applies the rules. */
    public Update apply(EmotionEvent event, AlertRules rules) {
        if (recentIds.contains(event.getUtteranceId())) {
            return new Update(true, summary(), List.of());
        }
        remember(event.getUtteranceId());
        latestStartMs.merge(event.getChannel(), event.getStartMs(), Math::max);
        Long channelEndMs = channelsEnded.get(event.getChannel());
        if (channelEndMs != null && event.getStartMs() >= channelEndMs) {
            channelsEnded.remove(event.getChannel());
        }
        if (!allChannelsEnded()) {
            endedAtMs = null;
        }
        Heard heard = heard(event);
        if (utterances == 0) {
            firstEventTimeMs = event.getEmitTimeMs();
            source = event.getSource();
        }
        utterances++;
        lastEventTimeMs = Math.max(lastEventTimeMs, event.getEmitTimeMs());
        lastUtteranceId = event.getUtteranceId();

        List<Alert> alerts = new ArrayList<>();
        silence(heard, rules, event.getEmitTimeMs(), alerts);
        RoleTracker role = roles.computeIfAbsent(heard.role, RoleTracker::new);
        double usualArousal = role.arousal;
        int heardBefore = role.utterances;
        role.add(heard, rules);
        if (heard.role.equals(SpeakerRole.AGENT.name())) {
            agentSpike(heard, usualArousal, heardBefore, rules, event.getEmitTimeMs(), alerts);
        } else {
            escalation(heard, role, rules, event.getEmitTimeMs(), alerts);
        }
        return new Update(false, summary(), alerts);
    }

    /**
     * Takes in the end of one of the call's channels. Returns the call's summary when this end ended the call and
     * the call has been shown (it has utterances); a repeated end, one that leaves a channel live, or a stale one
     * (the channel has been heard speaking after where it says the stream ended: a replay after the stream came
     * back) returns none.
     */
    public Optional<CallSummary> end(StreamEnd end) {
        Long latestStart = latestStartMs.get(end.getChannel());
        if (latestStart != null && latestStart >= end.getEndMs()) {
            return Optional.empty();
        }
        latestStartMs.putIfAbsent(end.getChannel(), -1L);
        channelsEnded.put(end.getChannel(), end.getEndMs());
        if (end.getChannels() != null) {
            channels = end.getChannels();
        }
        if (endedAtMs != null || !allChannelsEnded()) {
            return Optional.empty();
        }
        endedAtMs = end.getEndTimeMs();
        return utterances == 0 ? Optional.empty() : Optional.of(summary());
    }

    public boolean ended() {
        return endedAtMs != null;
    }

    private boolean allChannelsEnded() {
        return !channelsEnded.isEmpty() && channelsEnded.keySet().containsAll(latestStartMs.keySet())
                && (channels == null || channelsEnded.size() >= channels);
    }

    private void silence(Heard heard, AlertRules rules, long nowMs, List<Alert> alerts) {
        if (heardUntilMs >= 0 && heard.startMs - heardUntilMs >= rules.silenceMs()) {
            long seconds = Math.round((heard.startMs - heardUntilMs) / 1000.0);
            alerts.add(alert("long_silence", heard, Severity.INFO, nowMs,
                    String.format(Locale.ROOT, "Nobody spoke for %d s (from %s to %s into the call).", seconds,
                            clock(heardUntilMs), clock(heard.startMs)),
                    lastHeard == null ? List.of(heard) : List.of(lastHeard, heard)));
        }
        if (heard.endMs > heardUntilMs) {
            heardUntilMs = heard.endMs;
            lastHeard = heard;
        }
    }

    /**
     * Escalation is scored on everyone but the agent: the customer on a call, host and guests on a podcast. Each
     * utterance's intensity moves a running score: its arousal, discounted as far as it sounds positive, plus
     * half of any negative valence and a little for a hostile label.
     */
    private void escalation(Heard heard, RoleTracker role, AlertRules rules, long nowMs, List<Alert> alerts) {
        double intensity = Math.min(1, Math.max(0, heard.arousal) * (1 - Math.max(0, heard.valence))
                + 0.5 * Math.max(0, -heard.valence) + (HOSTILE.contains(heard.label) ? 0.15 : 0));
        escalationScore = scoreHistory.isEmpty() ? intensity : escalationScore + SMOOTHING * (intensity - escalationScore);
        ScorePoint point = new ScorePoint();
        point.atMs = heard.endMs;
        point.score = escalationScore;
        scoreHistory.addLast(point);
        while (scoreHistory.size() > 1 && scoreHistory.peekFirst().atMs < heard.endMs - TREND_WINDOW_MS) {
            scoreHistory.removeFirst();
        }
        ScorePoint oldest = scoreHistory.peekFirst();
        long span = heard.endMs - oldest.atMs;
        escalationTrend = span >= SHORTEST_TREND_SPAN_MS ? (escalationScore - oldest.score) * 60_000.0 / span : 0;

        boolean hot = heard.arousal >= rules.highArousal() && heard.valence <= rules.positiveValence();
        hotRun = hot ? hotRun + 1 : 0;
        if (escalationOpen) {
            escalationOpen = hotRun > 0 || escalationScore >= rules.escalationReset();
            return;
        }
        boolean run = hotRun >= rules.consecutive();
        boolean rising = escalationScore >= rules.escalationThreshold() && escalationTrend > 0;
        if (run || rising) {
            escalationOpen = true;
            String why = run ? hotRun + " high-arousal utterances in a row, none of them positive" : "escalation score rising";
            Severity severity = escalationScore >= 0.8 || hotRun >= 2 * rules.consecutive() ? Severity.CRITICAL : Severity.WARNING;
            alerts.add(alert("customer_escalation", heard, severity, nowMs,
                    String.format(Locale.ROOT, "%s escalating: %s (escalation %.2f, %s).", capitalised(heard.role), why,
                            escalationScore, escalationTrend > 0 ? "rising" : "steady"),
                    role.recent.stream().toList()));
        }
    }

    private void agentSpike(Heard heard, double usualArousal, int heardBefore, AlertRules rules, long nowMs, List<Alert> alerts) {
        if (heardBefore < rules.agentUsualAfter()) {
            return;
        }
        double above = heard.arousal - usualArousal;
        if (agentSpikeOpen) {
            agentSpikeOpen = above >= rules.agentSpikeAboveUsual() / 2;
            return;
        }
        if (heard.arousal >= rules.agentSpikeArousal() && above >= rules.agentSpikeAboveUsual()) {
            agentSpikeOpen = true;
            alerts.add(alert("agent_arousal_spike", heard, Severity.WARNING, nowMs,
                    String.format(Locale.ROOT, "Agent's arousal spiked to %.2f, %.2f above their usual %.2f.",
                            heard.arousal, above, usualArousal),
                    List.of(heard)));
        }
    }

    private Alert alert(String rule, Heard opening, Severity severity, long nowMs, String message, List<Heard> evidence) {
        return Alert.newBuilder()
                .setAlertId(rule + "/" + opening.utteranceId)
                .setCallId(callId)
                .setRule(rule)
                .setSeverity(severity)
                .setRole(SpeakerRole.valueOf(opening.role))
                .setRaisedAtMs(nowMs)
                .setMessage(message)
                .setEvidence(evidence.stream().map(Heard::asEvidence).toList())
                .build();
    }

    public CallSummary summary() {
        return CallSummary.newBuilder()
                .setCallId(callId)
                .setSource(source)
                .setFirstEventTimeMs(firstEventTimeMs)
                .setLastEventTimeMs(lastEventTimeMs)
                .setUtterances(utterances)
                .setRoles(roles.values().stream().map(RoleTracker::summary).toList())
                .setEscalationScore(escalationScore)
                .setEscalationTrend(escalationTrend)
                .setLastUtteranceId(lastUtteranceId)
                .setEndedAtMs(endedAtMs)
                .build();
    }

    private void remember(String utteranceId) {
        recentIds.addLast(utteranceId);
        if (recentIds.size() > REMEMBERED_IDS) {
            recentIds.removeFirst();
        }
    }

    private static Heard heard(EmotionEvent event) {
        Heard heard = new Heard();
        heard.utteranceId = event.getUtteranceId();
        heard.role = event.getRole().name();
        heard.label = event.getLabel();
        heard.arousal = event.getArousal();
        heard.valence = event.getValence();
        heard.rationale = event.getRationale();
        heard.transcript = event.getTranscript();
        heard.startMs = event.getStartMs();
        heard.endMs = event.getEndMs();
        return heard;
    }

    private static String capitalised(String role) {
        return role.charAt(0) + role.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String clock(long ms) {
        long seconds = ms / 1000;
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /** How one role (agent, customer, host, guest) has sounded so far. */
    public static final class RoleTracker {
        public String role;
        public int utterances;
        public long talkTimeMs;
        public int negative;
        public int highArousal;
        public double arousal;
        public double valence;
        public String currentLabel;
        public ArrayDeque<Heard> recent = new ArrayDeque<>();

        public RoleTracker() {
        }

        RoleTracker(String role) {
            this.role = role;
        }

        void add(Heard heard, AlertRules rules) {
            arousal = utterances == 0 ? heard.arousal : arousal + SMOOTHING * (heard.arousal - arousal);
            valence = utterances == 0 ? heard.valence : valence + SMOOTHING * (heard.valence - valence);
            utterances++;
            talkTimeMs += Math.max(0, heard.endMs - heard.startMs);
            negative += heard.valence <= rules.negativeValence() ? 1 : 0;
            highArousal += heard.arousal >= rules.highArousal() ? 1 : 0;
            currentLabel = heard.label;
            recent.addLast(heard);
            if (recent.size() > EVIDENCE) {
                recent.removeFirst();
            }
        }

        RoleSummary summary() {
            return RoleSummary.newBuilder().setRole(SpeakerRole.valueOf(role)).setUtterances(utterances)
                    .setTalkTimeMs(talkTimeMs).setNegativeShare((double) negative / utterances)
                    .setHighArousalShare((double) highArousal / utterances).setArousal(arousal).setValence(valence)
                    .setCurrentLabel(currentLabel).build();
        }
    }
}
