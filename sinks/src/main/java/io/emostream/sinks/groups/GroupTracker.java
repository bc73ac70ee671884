package io.emostream.sinks.groups;

import io.emostream.schema.EmotionEvent;
import io.emostream.schema.GroupKind;
import io.emostream.schema.GroupSummary;
import io.emostream.sinks.calls.AlertRules;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * An agent's or a series' utterances over the last hour, in one-minute buckets of event time, and their summaries
 * over the last 15 and 60 minutes. Plain Java, stored per group in the Streams state store (public fields for
 * Jackson).
 *
 * <p>Time is the events' emit time. A window holds its last N whole minutes, the newest event's minute included:
 * an event in the minute 15 minutes before the newest one's has left the 15-minute window but is still in the
 * hour. An event more than an hour older than the newest is late; it changes nothing.
 *
 * <p>An utterance whose emotion a policy withheld counts in utterances, calls and talk time, not in the emotion
 * figures: those are over the analysed utterances, and 0 in a window without any (the summary's figures are not
 * nullable; {@code analysed} tells a reader of the store which it is).
 */
public final class GroupTracker {
    public static final List<Integer> WINDOW_MINUTES = List.of(15, 60);
    static final long MINUTE_MS = 60_000;

    public GroupKind kind;
    public String name;
    public long newestMs;
    public TreeMap<Long, Bucket> minutes = new TreeMap<>();
    /** Each call's latest minute with an utterance: one entry per call, however busy the group (not a set per minute). */
    public TreeMap<String, Long> callMinutes = new TreeMap<>();
    /** Kafka timestamp of the latest event's record: what retention compares with stream time. */
    public long lastRecordMs;

    /** One minute of a group's utterances. */
    public static final class Bucket {
        public int utterances;
        /** Utterances whose emotion was analysed (not withheld). */
        public int analysed;
        public long talkTimeMs;
        public int negative;
        public int highArousal;
        public double arousalSum;
        public double valenceSum;
    }

    public static GroupTracker start(GroupKind kind, String name) {
        GroupTracker tracker = new GroupTracker();
        tracker.kind = kind;
        tracker.name = name;
        return tracker;
    }

    /** The groups an event counts in: its agent's, when an agent spoke, and its series'. */
    public static List<String> keysOf(EmotionEvent event) {
        List<String> keys = new ArrayList<>();
        if (event.getSpeaker() != null && event.getRole() == io.emostream.schema.SpeakerRole.AGENT) {
            keys.add(key(GroupKind.AGENT, event.getSpeaker()));
        }
        if (event.getSeries() != null) {
            keys.add(key(GroupKind.SERIES, event.getSeries()));
        }
        return keys;
    }

    public static String key(GroupKind kind, String name) {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "/" + name;
    }

    /** Takes in one event at its time; returns the summaries for every window, or none for a late event. */
    public List<GroupSummary> apply(EmotionEvent event, long atMs, AlertRules rules) {
        long minute = Math.floorDiv(atMs, MINUTE_MS) * MINUTE_MS;
        if (atMs < newestMs - WINDOW_MINUTES.get(WINDOW_MINUTES.size() - 1) * MINUTE_MS) {
            return List.of();
        }
        Bucket bucket = minutes.computeIfAbsent(minute, m -> new Bucket());
        bucket.utterances++;
        bucket.talkTimeMs += Math.max(0, event.getEndMs() - event.getStartMs());
        if (event.getEmotionWithheld() == null && event.getArousal() != null && event.getValence() != null) {
            bucket.analysed++;
            bucket.negative += event.getValence() <= rules.negativeValence() ? 1 : 0;
            bucket.highArousal += event.getArousal() >= rules.highArousal() ? 1 : 0;
            bucket.arousalSum += event.getArousal();
            bucket.valenceSum += event.getValence();
        }
        callMinutes.merge(event.getCallId(), minute, Math::max);
        newestMs = Math.max(newestMs, atMs);
        long newestMinute = Math.floorDiv(newestMs, MINUTE_MS) * MINUTE_MS;
        long oldestKept = newestMinute - (WINDOW_MINUTES.get(WINDOW_MINUTES.size() - 1) - 1) * MINUTE_MS;
        minutes.headMap(oldestKept).clear();
        callMinutes.values().removeIf(last -> last < oldestKept);
        List<GroupSummary> summaries = new ArrayList<>();
        for (int window : WINDOW_MINUTES) {
            summaries.add(summary(window, newestMinute));
        }
        return summaries;
    }

    private GroupSummary summary(int windowMinutes, long newestMinute) {
        int utterances = 0;
        int analysed = 0;
        long talk = 0;
        int negative = 0;
        int high = 0;
        double arousal = 0;
        double valence = 0;
        long from = newestMinute - (windowMinutes - 1) * MINUTE_MS;
        for (Bucket bucket : minutes.tailMap(from).values()) {
            utterances += bucket.utterances;
            analysed += bucket.analysed;
            talk += bucket.talkTimeMs;
            negative += bucket.negative;
            high += bucket.highArousal;
            arousal += bucket.arousalSum;
            valence += bucket.valenceSum;
        }
        long calls = callMinutes.values().stream().filter(last -> last >= from).count();
        return GroupSummary.newBuilder().setKind(kind).setName(name).setWindowMinutes(windowMinutes).setWindowEndMs(newestMs)
                .setUtterances(utterances).setCalls((int) calls).setTalkTimeMs(talk)
                .setNegativeShare(analysed == 0 ? 0 : (double) negative / analysed)
                .setHighArousalShare(analysed == 0 ? 0 : (double) high / analysed)
                .setArousal(analysed == 0 ? 0 : arousal / analysed).setValence(analysed == 0 ? 0 : valence / analysed)
                .build();
    }
}
