package io.emostream.ingest.live;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Call ids streaming now and recently ended on this server. A call id names one stream: reusing it would restart
 * its sequence numbers and make downstream utterance ids collide, so both are refused.
 */
final class CallRegistry {
    /** Ended ids remembered; at ~100 bytes each, about 10 MB at most. */
    static final int REMEMBERED_ENDED_CALLS = 100_000;

    private final Set<String> active = new HashSet<>();
    private final Map<String, Boolean> ended = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_ENDED_CALLS;
        }
    };

    /** Registers the call as streaming; returns why it cannot be, or null. */
    synchronized String start(String callId) {
        return start(callId, Integer.MAX_VALUE);
    }

    /** Registers the call as streaming unless {@code maxCalls} already are; returns why it cannot be, or null. */
    synchronized String start(String callId, int maxCalls) {
        if (active.size() >= maxCalls && !active.contains(callId)) {
            return "this ingest process already streams its limit of " + maxCalls + " calls at once";
        }
        if (active.contains(callId)) {
            return "call " + callId + " is already streaming on another connection";
        }
        if (ended.containsKey(callId)) {
            return "call " + callId + " has already been streamed and ended; use a new call id";
        }
        active.add(callId);
        return null;
    }

    synchronized boolean hasEnded(String callId) {
        return ended.containsKey(callId);
    }

    synchronized int activeCount() {
        return active.size();
    }

    synchronized void end(String callId) {
        active.remove(callId);
        ended.put(callId, Boolean.TRUE);
    }
}
