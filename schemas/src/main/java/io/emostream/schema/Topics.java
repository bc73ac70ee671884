package io.emostream.schema;

import java.util.List;

/**
 * Default topic names. Every command takes its topic names as options, so a cluster with its own naming rules
 * can use its own; these are what the commands use when nothing is given.
 */
public final class Topics {
    /** {@link AudioChunk}s, key = call id. */
    public static final String AUDIO_CHUNKS = "audio.chunks";
    /** {@link EmotionEvent}s, key = call id. */
    public static final String EMOTION_EVENTS = "emotion.events";
    /** {@link StreamEnd}s, key = call id: a channel of a call has ended. */
    public static final String STREAM_ENDS = "streams.ended";
    /** {@link CallSummary}s, key = call id. */
    public static final String CALLS_SUMMARY = "calls.summary";
    /** {@link Alert}s, key = call id. */
    public static final String ALERTS = "alerts";
    /** {@link GroupSummary}s, key = "agent/NAME" or "series/NAME". */
    public static final String GROUPS_SUMMARY = "groups.summary";
    /** {@link DeadLetter}s, key = the refused record's key. */
    public static final String DEAD_LETTER = "dead-letter";

    public static final List<String> ALL = List.of(AUDIO_CHUNKS, EMOTION_EVENTS, STREAM_ENDS, CALLS_SUMMARY, GROUPS_SUMMARY,
            ALERTS, DEAD_LETTER);

    private Topics() {
    }
}
