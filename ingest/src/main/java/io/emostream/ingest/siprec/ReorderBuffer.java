package io.emostream.ingest.siprec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts packets that UDP delivered out of order back in order by their (extended) sequence numbers. The next
 * expected packet leaves at once; a later one waits until the gap before it is filled or {@code depth} packets are
 * held, then the gap is given up as lost. A packet arriving after its place has been passed comes too late and is
 * dropped, as is a duplicate. Not thread-safe: one buffer per RTP stream, used by its reader.
 */
final class ReorderBuffer<T> {
    private final int depth;
    private final TreeMap<Long, T> held = new TreeMap<>();
    private long next = Long.MIN_VALUE;
    private long late;

    ReorderBuffer(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("a reorder buffer holds at least one packet");
        }
        this.depth = depth;
    }

    /** Adds a packet; returns those that now leave the buffer, in order. */
    List<T> add(long sequence, T packet) {
        if (next != Long.MIN_VALUE && sequence < next) {
            late++;
            return List.of();
        }
        held.putIfAbsent(sequence, packet);
        List<T> out = new ArrayList<>(1);
        // Before the first packet leaves, nothing says which sequence number comes first: wait for a full buffer.
        while (!held.isEmpty() && (held.firstKey() == next || held.size() > depth)) {
            release(out);
        }
        return out;
    }

    /** Everything still held, in order: the stream has ended. */
    List<T> drain() {
        List<T> out = new ArrayList<>(held.size());
        while (!held.isEmpty()) {
            release(out);
        }
        return out;
    }

    /** Packets dropped because they came after their place had been passed. */
    long late() {
        return late;
    }

    private void release(List<T> out) {
        Map.Entry<Long, T> first = held.pollFirstEntry();
        out.add(first.getValue());
        next = first.getKey() + 1;
    }
}
