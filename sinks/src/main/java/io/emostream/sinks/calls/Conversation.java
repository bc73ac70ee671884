package io.emostream.sinks.calls;

import io.emostream.schema.ConversationDynamics;
import io.emostream.schema.Interruption;
import io.emostream.schema.SpeakerRole;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the parties of a call talk together, from when each channel was speaking: the utterance intervals of every
 * channel, merged into stretches of speech (an utterance that overlaps or touches another of its channel joins it).
 * Plain Java, kept inside the {@link CallTracker} (public fields, so Jackson can store it).
 *
 * <ul>
 *   <li><b>Over-talk</b>: time in which two or more channels were speaking at once; its share is of the time anyone
 *       was speaking.</li>
 *   <li><b>Dead air</b>: time between the first utterance's start and the latest one's end in which no channel was
 *       speaking; its share is of that span, and the longest such stretch is kept.</li>
 *   <li><b>Interruption</b> of A by B: a stretch of B's speech starts while A is speaking (A started first), A goes on
 *       speaking for at least {@value #HOLD_MS} ms after B's start (A did not simply finish its turn), and B's
 *       stretch lasts at least {@value #BACKCHANNEL_MS} ms (shorter is a backchannel: "mm-hm", "right"). Each
 *       interrupted channel counts once per stretch of B.</li>
 * </ul>
 *
 * <p><b>Resolution</b>: the job's voice-activity detector decides per 32 ms frame (Silero VAD, 512 samples at
 * 16 kHz), and the segmenter pads each utterance with up to 120 ms of audio before its first and after its last
 * speech frame ({@code SegmentationRules.defaults().padMs()}), so an interval's edge lies up to
 * {@value #RESOLUTION_MS} ms outside the speech in it. Two turns less than 240 ms apart therefore show as a little
 * over-talk, never as dead air; and a pause of less than 400 ms inside one channel (the segmenter's hangover) is
 * speech. The interruption thresholds are well above these margins.
 *
 * <p><b>Bounded</b>: events arrive nearly in stream order, so speech that ended more than {@value #SETTLE_MS} ms
 * before the latest end heard is settled: added to running totals and forgotten. A channel keeps at most
 * {@value #MAX_STRETCHES} stretches (older ones are settled early), and settled interruptions are kept only as long
 * as the caller's alert window needs them. The part of an utterance that arrives after its time was settled counts
 * in the speaker's talk time, not here.
 */
public final class Conversation {
    /** The voice-activity detector's frame: 512 samples at 16 kHz. */
    static final int VAD_FRAME_MS = 32;
    /** The segmenter's padding around an utterance's speech ({@code SegmentationRules.defaults().padMs()}). */
    static final int UTTERANCE_PAD_MS = 120;
    /** How far an utterance interval's edge can be from the speech it holds. */
    public static final int RESOLUTION_MS = VAD_FRAME_MS + UTTERANCE_PAD_MS;
    /** An interruption: the one cut in on goes on speaking at least this long after the other started. */
    public static final long HOLD_MS = 500;
    /** An interruption: the one cutting in speaks at least this long; shorter is a backchannel. */
    public static final long BACKCHANNEL_MS = 1_000;
    /** Speech this far behind the latest end heard is settled into the totals. */
    static final long SETTLE_MS = 60_000;
    static final int MAX_STRETCHES = 128;
    static final int MAX_KEPT_INTERRUPTIONS = 256;

    public TreeMap<Integer, Channel> channels = new TreeMap<>();
    /** Start of the first utterance, -1 before any. */
    public long spanStartMs = -1;
    /** End of the latest utterance. */
    public long spanEndMs;
    /** Everything before this is in the settled totals; null while nothing is. */
    public Long settledUntilMs;
    public long settledSpeechMs;
    public long settledOverTalkMs;
    public long settledDeadAirMs;
    public long settledLongestDeadAirMs;
    /** Where the silence that runs across settledUntilMs began; null when someone was speaking there. */
    public Long openSilenceFromMs;
    /** Settled interruptions: interrupter's role → interrupted role → count. */
    public TreeMap<String, TreeMap<String, Integer>> settledInterruptions = new TreeMap<>();
    /** Settled interruptions recent enough for the alert window, oldest first. */
    public ArrayDeque<Cut> recentCuts = new ArrayDeque<>();

    /** One channel's role and its stretches of speech, in time order, not overlapping. */
    public static final class Channel {
        public String role;
        public ArrayList<Stretch> speech = new ArrayList<>();
    }

    /** A stretch of one channel's speech, named by its earliest utterance. */
    public static final class Stretch {
        public long startMs;
        public long endMs;
        public String utteranceId;
    }

    /** One interruption: who cut in on whom, when, with which utterance. */
    public static final class Cut {
        public String by;
        public String of;
        public long atMs;
        public String byUtteranceId;

        static Cut of(String by, String of, long atMs, String byUtteranceId) {
            Cut cut = new Cut();
            cut.by = by;
            cut.of = of;
            cut.atMs = atMs;
            cut.byUtteranceId = byUtteranceId;
            return cut;
        }
    }

    /**
     * Takes in one utterance of a channel.
     *
     * @param keepCutsMs how long settled interruptions stay available to {@link #cuts()}, behind the latest end
     */
    public void add(int channel, String role, long startMs, long endMs, String utteranceId, long keepCutsMs) {
        Channel speaking = channels.computeIfAbsent(channel, c -> new Channel());
        speaking.role = role;
        if (endMs <= startMs || (settledUntilMs != null && endMs <= settledUntilMs)) {
            return;
        }
        if (spanStartMs < 0 || (settledUntilMs == null && startMs < spanStartMs)) {
            spanStartMs = startMs;
        }
        spanEndMs = Math.max(spanEndMs, endMs);
        merge(speaking.speech, startMs, endMs, utteranceId);
        settle(spanEndMs - SETTLE_MS);
        for (Channel each : channels.values()) {
            if (each.speech.size() > MAX_STRETCHES) {
                settle(each.speech.get(each.speech.size() - MAX_STRETCHES).startMs);
            }
        }
        while (!recentCuts.isEmpty() && (recentCuts.peekFirst().atMs < spanEndMs - keepCutsMs
                || recentCuts.size() > MAX_KEPT_INTERRUPTIONS)) {
            recentCuts.removeFirst();
        }
    }

    private static void merge(List<Stretch> speech, long startMs, long endMs, String utteranceId) {
        Stretch merged = new Stretch();
        merged.startMs = startMs;
        merged.endMs = endMs;
        merged.utteranceId = utteranceId;
        int at = 0;
        while (at < speech.size() && speech.get(at).endMs < startMs) {
            at++;
        }
        while (at < speech.size() && speech.get(at).startMs <= merged.endMs) {
            Stretch joined = speech.remove(at);
            if (joined.startMs <= merged.startMs) {
                merged.utteranceId = joined.utteranceId;
            }
            merged.startMs = Math.min(merged.startMs, joined.startMs);
            merged.endMs = Math.max(merged.endMs, joined.endMs);
        }
        speech.add(at, merged);
    }

    /** What a sweep over part of the conversation found. */
    private record Sweep(long speechMs, long overTalkMs, long deadAirMs, long longestDeadAirMs, Long silenceFromMs,
                         List<Cut> cuts) {
    }

    /** Over-talk, speech and dead air in [from, to) of the unsettled stretches, and the interruptions starting there. */
    private Sweep sweep(long to) {
        long from = settledUntilMs == null ? spanStartMs : settledUntilMs;
        TreeMap<Long, Integer> changes = new TreeMap<>();
        for (Channel channel : channels.values()) {
            for (Stretch stretch : channel.speech) {
                long start = Math.max(stretch.startMs, from);
                long end = Math.min(stretch.endMs, to);
                if (end > start) {
                    changes.merge(start, 1, Integer::sum);
                    changes.merge(end, -1, Integer::sum);
                }
            }
        }
        long speech = 0;
        long overTalk = 0;
        long deadAir = 0;
        long longest = 0;
        // A silence running across where the settled part ends began before it.
        Long silenceFrom = openSilenceFromMs != null ? openSilenceFromMs : from;
        int speaking = 0;
        long at = from;
        for (Map.Entry<Long, Integer> change : changes.entrySet()) {
            long next = change.getKey();
            if (next > at) {
                if (speaking == 0) {
                    deadAir += next - at;
                    longest = Math.max(longest, next - silenceFrom);
                } else {
                    speech += next - at;
                    overTalk += speaking >= 2 ? next - at : 0;
                }
            }
            speaking += change.getValue();
            at = next;
            silenceFrom = speaking == 0 ? next : null;
        }
        if (to > at && spanEndMs > at) {
            // Only when settling: silence from the last change up to the settling point.
            long end = Math.min(to, spanEndMs);
            deadAir += end - at;
            longest = Math.max(longest, end - silenceFrom);
        }
        boolean speakingAtTo = channels.values().stream()
                .anyMatch(channel -> channel.speech.stream().anyMatch(s -> s.startMs < to && s.endMs > to));
        return new Sweep(speech, overTalk, deadAir, longest, speakingAtTo ? null : silenceFrom, cuts(from, to));
    }

    private List<Cut> cuts(long from, long to) {
        List<Cut> cuts = new ArrayList<>();
        for (Map.Entry<Integer, Channel> by : channels.entrySet()) {
            for (Stretch cutIn : by.getValue().speech) {
                if (cutIn.startMs < from || cutIn.startMs >= to || cutIn.endMs - cutIn.startMs < BACKCHANNEL_MS) {
                    continue;
                }
                for (Map.Entry<Integer, Channel> of : channels.entrySet()) {
                    if (of.getKey().equals(by.getKey())) {
                        continue;
                    }
                    for (Stretch cutOff : of.getValue().speech) {
                        if (cutOff.startMs < cutIn.startMs && cutIn.startMs < cutOff.endMs
                                && cutOff.endMs - cutIn.startMs >= HOLD_MS) {
                            cuts.add(Cut.of(by.getValue().role, of.getValue().role, cutIn.startMs, cutIn.utteranceId));
                        }
                    }
                }
            }
        }
        cuts.sort(Comparator.comparingLong((Cut cut) -> cut.atMs).thenComparing(cut -> cut.by).thenComparing(cut -> cut.of));
        return cuts;
    }

    /** Adds everything before {@code untilMs} to the totals and forgets the stretches that ended before it. */
    private void settle(long untilMs) {
        long from = settledUntilMs == null ? spanStartMs : settledUntilMs;
        if (spanStartMs < 0 || untilMs <= from) {
            return;
        }
        Sweep settled = sweep(untilMs);
        settledSpeechMs += settled.speechMs();
        settledOverTalkMs += settled.overTalkMs();
        settledDeadAirMs += settled.deadAirMs();
        settledLongestDeadAirMs = Math.max(settledLongestDeadAirMs, settled.longestDeadAirMs());
        openSilenceFromMs = settled.silenceFromMs();
        for (Cut cut : settled.cuts()) {
            settledInterruptions.computeIfAbsent(cut.by, by -> new TreeMap<>()).merge(cut.of, 1, Integer::sum);
            recentCuts.addLast(cut);
        }
        settledUntilMs = untilMs;
        for (Channel channel : channels.values()) {
            channel.speech.removeIf(stretch -> stretch.endMs < untilMs);
        }
    }

    /** Every interruption still known (settled ones within the kept time, and all unsettled ones), oldest first. */
    public List<Cut> cuts() {
        List<Cut> all = new ArrayList<>(recentCuts);
        all.addAll(sweep(spanEndMs).cuts());
        return all;
    }

    /** The figures so far; null before the first utterance. */
    public ConversationDynamics dynamics() {
        if (spanStartMs < 0) {
            return null;
        }
        Sweep open = sweep(spanEndMs);
        long speech = settledSpeechMs + open.speechMs();
        long overTalk = settledOverTalkMs + open.overTalkMs();
        long deadAir = settledDeadAirMs + open.deadAirMs();
        long span = spanEndMs - spanStartMs;
        TreeMap<String, TreeMap<String, Integer>> counts = new TreeMap<>();
        settledInterruptions.forEach((by, ofs) -> counts.put(by, new TreeMap<>(ofs)));
        for (Cut cut : open.cuts()) {
            counts.computeIfAbsent(cut.by, by -> new TreeMap<>()).merge(cut.of, 1, Integer::sum);
        }
        List<Interruption> interruptions = new ArrayList<>();
        counts.forEach((by, ofs) -> ofs.forEach((of, count) -> interruptions.add(Interruption.newBuilder()
                .setBy(SpeakerRole.valueOf(by)).setOf(SpeakerRole.valueOf(of)).setCount(count).build())));
        return ConversationDynamics.newBuilder()
                .setSpanMs(span)
                .setOverTalkMs(overTalk)
                .setOverTalkShare(speech == 0 ? 0 : (double) overTalk / speech)
                .setDeadAirMs(deadAir)
                .setDeadAirShare(span == 0 ? 0 : (double) deadAir / span)
                .setLongestDeadAirMs(Math.max(settledLongestDeadAirMs, open.longestDeadAirMs()))
                .setInterruptions(interruptions)
                .setResolutionMs(RESOLUTION_MS)
                .build();
    }
}
