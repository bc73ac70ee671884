package io.emostream.sinks.calls;

import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.Cue;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.Evidence;
import io.emostream.schema.PhraseHit;
import io.emostream.schema.RoleSummary;
import io.emostream.schema.Severity;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.StreamEnd;
import io.emostream.schema.TranscriptStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
 *
 * <p>An utterance whose emotion a policy withheld ({@code emotionWithheld}: no label, arousal or valence) counts in
 * talk time, the conversation's dynamics and phrase alerts, and in nothing that reads emotion: the escalation
 * score and its runs skip it, and the agent spike rule does not look at it.
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
    /** Phrase categories that, said with raised arousal, are an escalation. */
    static final Set<String> ESCALATION_PHRASES = Set.of("churn_risk", "escalation_request", "legal_threat", "complaint");
    static final String SPEAKING_RATE_CUE = "speaking_rate_syl_per_s";

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
    /** Heated utterances in a row from anyone but the agent, each with more arousal than the one before. */
    public int risingRun;
    /** Arousal of the latest heated utterance and of the first of the rising run; null when the run is broken. */
    public Double lastHeatedArousal;
    public Double risingFromArousal;
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
    public Conversation conversation = new Conversation();
    /** Per phrase category that raised an alert, the start of its latest utterance (stream ms): the cooldown's start. */
    public TreeMap<String, Long> phraseHeardAtMs = new TreeMap<>();
    /** Per interrupting role, the latest interruption of its current or last overtalk episode (stream ms). */
    public TreeMap<String, Long> overtalkUntilMs = new TreeMap<>();

    /** What one event changed: nothing for a replay; otherwise the new summary and any alerts it raised. */
    public record Update(boolean replay, CallSummary summary, List<Alert> alerts) {
    }

    /** One utterance as alerts cite it; label, arousal and valence are null when its emotion was withheld. */
    public static final class Heard {
        public String utteranceId;
        public String role;
        public String label;
        public Double arousal;
        public Double valence;
        public boolean withheld;
        public boolean uncertain;
        /** Whether it has a transcript: without one, valence is 0 by construction, not measured. */
        public boolean words;
        public String rationale;
        public String transcript;
        public long startMs;
        public long endMs;
        /** Categories of the phrase rules it matched. */
        public List<String> phrases = new ArrayList<>();

        Evidence asEvidence() {
            String snippet = transcript == null || transcript.length() <= SNIPPET_CHARS ? transcript
                    : transcript.substring(0, SNIPPET_CHARS - 1) + "…";
            return Evidence.newBuilder().setUtteranceId(utteranceId).setLabel(label).setArousal(arousal)
                    .setValence(valence).setRationale(rationale).setTranscriptSnippet(snippet)
                    .setPhrases(List.copyOf(phrases)).build();
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
        long nowMs = event.getEmitTimeMs();
        silence(heard, rules, nowMs, alerts);
        RoleTracker role = roles.computeIfAbsent(heard.role, RoleTracker::new);
        Double usualArousal = role.arousal;
        int analysedBefore = role.analysed;
        role.add(heard, speakingRate(event), rules);
        conversation.add(event.getChannel(), heard.role, heard.startMs, heard.endMs, heard.utteranceId,
                rules.overtalkWindowMs());
        if (heard.role.equals(SpeakerRole.AGENT.name())) {
            agentSpike(heard, usualArousal, analysedBefore, rules, nowMs, alerts);
        } else {
            escalation(heard, event.getPhrases(), role, rules, nowMs, alerts);
        }
        phrases(heard, event.getPhrases(), rules, nowMs, alerts);
        overtalk(rules, nowMs, alerts);
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
     * half of any negative valence and a little for a hostile label (not when the label is uncertain: "angry or
     * happy" is no evidence of hostility).
     *
     * <p>It fires on the first of: an escalation phrase said with raised arousal; a run of high-arousal, not
     * positive utterances; a run of heated turns each louder than the one before; the score rising past the
     * threshold. A heated turn has high arousal and negative valence, or high arousal, no words and a valence that
     * is not positive: a shouting customer whose words are unknown is escalation evidence once the shouting keeps
     * rising, because without a transcript valence is not measured and rising arousal is the one sign there is.
     */
    private void escalation(Heard heard, List<PhraseHit> phrases, RoleTracker role, AlertRules rules, long nowMs,
                            List<Alert> alerts) {
        if (heard.withheld) {
            return;
        }
        double arousal = heard.arousal;
        double valence = heard.valence;
        boolean hostile = !heard.uncertain && heard.label != null && HOSTILE.contains(heard.label);
        double intensity = Math.min(1, Math.max(0, arousal) * (1 - Math.max(0, valence))
                + 0.5 * Math.max(0, -valence) + (hostile ? 0.15 : 0));
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

        boolean high = arousal >= rules.highArousal();
        boolean hot = high && valence <= rules.positiveValence();
        hotRun = hot ? hotRun + 1 : 0;
        boolean heated = high && (valence <= rules.negativeValence() || (!heard.words && valence <= rules.positiveValence()));
        if (heated && lastHeatedArousal != null && arousal > lastHeatedArousal) {
            risingRun++;
        } else {
            risingRun = heated ? 1 : 0;
            risingFromArousal = heated ? arousal : null;
        }
        lastHeatedArousal = heated ? arousal : null;
        if (escalationOpen) {
            escalationOpen = hotRun > 0 || escalationScore >= rules.escalationReset();
            return;
        }
        PhraseHit phrase = high ? phrases.stream().filter(hit -> ESCALATION_PHRASES.contains(hit.getCategory()))
                .findFirst().orElse(null) : null;
        boolean run = hotRun >= rules.consecutive();
        boolean louder = risingRun >= rules.risingTurns();
        boolean rising = escalationScore >= rules.escalationThreshold() && escalationTrend > 0;
        if (phrase == null && !run && !louder && !rising) {
            return;
        }
        escalationOpen = true;
        String why = phrase != null ? String.format(Locale.ROOT, "said %s (rule %s) with raised arousal",
                spoken(phrase.getCategory()), phrase.getRule())
                : run ? hotRun + " high-arousal utterances in a row, none of them positive"
                : louder ? String.format(Locale.ROOT, "%d heated turns in a row, each louder than the one before, from arousal %.2f",
                risingRun, risingFromArousal)
                : "escalation score rising";
        boolean critical = escalationScore >= 0.8 || hotRun >= 2 * rules.consecutive()
                || (phrase != null && phrase.getSeverity() != null && severity(phrase.getSeverity()) == Severity.CRITICAL);
        alerts.add(alert("customer_escalation", heard, critical ? Severity.CRITICAL : Severity.WARNING, nowMs,
                String.format(Locale.ROOT, "%s escalating: %s (arousal %.2f, valence %.2f%s; escalation %.2f, %s).",
                        capitalised(heard.role), why, arousal, valence, heard.words ? "" : ", no words",
                        escalationScore, escalationTrend > 0 ? "rising" : "steady"),
                role.recent.stream().toList()));
    }

    private void agentSpike(Heard heard, Double usualArousal, int analysedBefore, AlertRules rules, long nowMs,
                            List<Alert> alerts) {
        if (heard.withheld || usualArousal == null || analysedBefore < rules.agentUsualAfter()) {
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

    /**
     * A phrase rule with a severity raises phrase:CATEGORY, once per episode: a phrase of the same category that
     * starts within the cooldown of the latest one of the call belongs to the same episode (and extends it). The
     * message names the category and the rule, never the words (they are in the evidence's transcript snippet, which
     * a dashboard hiding transcripts leaves out).
     */
    private void phrases(Heard heard, List<PhraseHit> phrases, AlertRules rules, long nowMs, List<Alert> alerts) {
        Map<String, PhraseHit> raising = new LinkedHashMap<>();
        for (PhraseHit hit : phrases) {
            if (hit.getSeverity() != null) {
                raising.merge(hit.getCategory(), hit,
                        (first, next) -> severity(next.getSeverity()).ordinal() > severity(first.getSeverity()).ordinal() ? next : first);
            }
        }
        raising.forEach((category, hit) -> {
            Long latest = phraseHeardAtMs.get(category);
            phraseHeardAtMs.put(category, latest == null ? heard.startMs : Math.max(latest, heard.startMs));
            if (latest != null && Math.abs(heard.startMs - latest) < rules.phraseCooldownMs()) {
                return;
            }
            alerts.add(alert("phrase:" + category, heard, severity(hit.getSeverity()), nowMs,
                    String.format(Locale.ROOT, "%s said %s (rule %s) at %s.", capitalised(heard.role), spoken(category),
                            hit.getRule(), clock(heard.startMs)),
                    List.of(heard)));
        });
    }

    /**
     * overtalk: one role cut in on others the rule's number of times within its window. The episode goes on while
     * that role keeps cutting in within a window of its previous interruption, and ends once a whole window of the
     * call has passed without one; only interruptions after it can open the next.
     */
    private void overtalk(AlertRules rules, long nowMs, List<Alert> alerts) {
        Map<String, List<Conversation.Cut>> byRole = conversation.cuts().stream()
                .collect(Collectors.groupingBy(cut -> cut.by, TreeMap::new, Collectors.toList()));
        byRole.forEach((by, cuts) -> {
            Long episodeEnd = overtalkUntilMs.get(by);
            if (episodeEnd != null) {
                for (Conversation.Cut cut : cuts) {
                    if (cut.atMs > episodeEnd && cut.atMs - episodeEnd <= rules.overtalkWindowMs()) {
                        episodeEnd = cut.atMs;
                    }
                }
                overtalkUntilMs.put(by, episodeEnd);
                if (conversation.spanEndMs - episodeEnd <= rules.overtalkWindowMs()) {
                    return;
                }
            }
            long after = episodeEnd == null ? Long.MIN_VALUE : episodeEnd;
            List<Conversation.Cut> fresh = cuts.stream().filter(cut -> cut.atMs > after).toList();
            int n = rules.overtalkInterruptions();
            for (int first = 0; first + n <= fresh.size(); first++) {
                List<Conversation.Cut> group = fresh.subList(first, first + n);
                if (group.get(n - 1).atMs - group.get(0).atMs <= rules.overtalkWindowMs()) {
                    overtalkUntilMs.put(by, group.get(n - 1).atMs);
                    alerts.add(overtalkAlert(by, group, rules, nowMs));
                    return;
                }
            }
        });
    }

    private Alert overtalkAlert(String by, List<Conversation.Cut> group, AlertRules rules, long nowMs) {
        Set<String> cutIns = group.stream().map(cut -> cut.byUtteranceId).collect(Collectors.toSet());
        RoleTracker interrupter = roles.get(by);
        List<Heard> evidence = interrupter.recent.stream().filter(heard -> cutIns.contains(heard.utteranceId)).toList();
        String whom = group.stream().map(cut -> "the " + cut.of.toLowerCase(Locale.ROOT)).distinct()
                .collect(Collectors.joining(" and "));
        String when = group.stream().map(cut -> clock(cut.atMs)).collect(Collectors.joining(", "));
        Heard opening = new Heard();
        opening.utteranceId = group.get(group.size() - 1).byUtteranceId;
        opening.role = by;
        return alert("overtalk", opening, Severity.WARNING, nowMs,
                String.format(Locale.ROOT, "%s cut in on %s %d times within %d s (at %s).", capitalised(by), whom,
                        group.size(), Math.round(rules.overtalkWindowMs() / 1000.0), when),
                evidence.isEmpty() ? List.of(interrupter.recent.peekLast()) : evidence);
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
        long talk = roles.values().stream().mapToLong(role -> role.talkTimeMs).sum();
        return CallSummary.newBuilder()
                .setCallId(callId)
                .setSource(source)
                .setFirstEventTimeMs(firstEventTimeMs)
                .setLastEventTimeMs(lastEventTimeMs)
                .setUtterances(utterances)
                .setRoles(roles.values().stream().map(role -> role.summary(talk)).toList())
                .setEscalationScore(escalationScore)
                .setEscalationTrend(escalationTrend)
                .setLastUtteranceId(lastUtteranceId)
                .setEndedAtMs(endedAtMs)
                .setConversation(conversation.dynamics())
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
        heard.withheld = event.getEmotionWithheld() != null || event.getArousal() == null || event.getValence() == null;
        heard.label = heard.withheld ? null : event.getLabel();
        heard.arousal = heard.withheld ? null : event.getArousal();
        heard.valence = heard.withheld ? null : event.getValence();
        heard.uncertain = event.getUncertain();
        heard.words = event.getTranscriptStatus() == TranscriptStatus.PRESENT && event.getTranscript() != null
                && !event.getTranscript().isBlank();
        heard.rationale = event.getRationale();
        heard.transcript = event.getTranscript();
        heard.startMs = event.getStartMs();
        heard.endMs = event.getEndMs();
        heard.phrases = event.getPhrases().stream().map(PhraseHit::getCategory).distinct()
                .collect(Collectors.toCollection(ArrayList::new));
        return heard;
    }

    /** The utterance's measured speaking rate, when the job measured it. */
    private static Double speakingRate(EmotionEvent event) {
        return event.getCues().stream().filter(cue -> cue.getName().equals(SPEAKING_RATE_CUE)).findFirst()
                .map(Cue::getValue).orElse(null);
    }

    /** An unknown severity (a rule file newer than this reader) is taken as WARNING rather than stop the sinks. */
    private static Severity severity(String name) {
        try {
            return Severity.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return Severity.WARNING;
        }
    }

    /** "churn_risk" → "a churn risk phrase". */
    private static String spoken(String category) {
        return "a " + category.replace('_', ' ') + " phrase";
    }

    private static String capitalised(String role) {
        return role.charAt(0) + role.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String clock(long ms) {
        long seconds = ms / 1000;
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /**
     * How one role (agent, customer, host, guest) has sounded so far. Its emotion figures are over the utterances
     * whose emotion was analysed, and null while none was; {@code withheld} says whether the latest utterance's
     * emotion was withheld (the policy now in force).
     */
    public static final class RoleTracker {
        public String role;
        public int utterances;
        /** Utterances whose emotion was analysed (not withheld). */
        public int analysed;
        public long talkTimeMs;
        public int negative;
        public int highArousal;
        public Double arousal;
        public Double valence;
        public String currentLabel;
        public boolean withheld;
        /** Speaking rate of the latest utterance (by start) that had it measured, and where that utterance started. */
        public Double speakingRate;
        public long speakingRateAtMs;
        public double speakingRateSum;
        public int speakingRates;
        public ArrayDeque<Heard> recent = new ArrayDeque<>();

        public RoleTracker() {
        }

        RoleTracker(String role) {
            this.role = role;
        }

        void add(Heard heard, Double rate, AlertRules rules) {
            utterances++;
            talkTimeMs += Math.max(0, heard.endMs - heard.startMs);
            withheld = heard.withheld;
            currentLabel = heard.label;
            if (!heard.withheld) {
                arousal = analysed == 0 ? heard.arousal : arousal + SMOOTHING * (heard.arousal - arousal);
                valence = analysed == 0 ? heard.valence : valence + SMOOTHING * (heard.valence - valence);
                analysed++;
                negative += heard.valence <= rules.negativeValence() ? 1 : 0;
                highArousal += heard.arousal >= rules.highArousal() ? 1 : 0;
            }
            if (rate != null) {
                if (speakingRates == 0 || heard.startMs >= speakingRateAtMs) {
                    speakingRate = rate;
                    speakingRateAtMs = heard.startMs;
                }
                speakingRateSum += rate;
                speakingRates++;
            }
            recent.addLast(heard);
            if (recent.size() > EVIDENCE) {
                recent.removeFirst();
            }
        }

        RoleSummary summary(long callTalkTimeMs) {
            boolean none = analysed == 0;
            return RoleSummary.newBuilder().setRole(SpeakerRole.valueOf(role)).setUtterances(utterances)
                    .setTalkTimeMs(talkTimeMs)
                    .setNegativeShare(none ? null : (double) negative / analysed)
                    .setHighArousalShare(none ? null : (double) highArousal / analysed)
                    .setArousal(arousal).setValence(valence).setCurrentLabel(currentLabel)
                    .setTalkShare(callTalkTimeMs == 0 ? 0 : (double) talkTimeMs / callTalkTimeMs)
                    .setSpeakingRate(speakingRate)
                    .setUsualSpeakingRate(speakingRates == 0 ? null : speakingRateSum / speakingRates)
                    .setEmotionWithheld(withheld)
                    .build();
        }
    }
}
