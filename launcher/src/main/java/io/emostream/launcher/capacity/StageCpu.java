package io.emostream.launcher.capacity;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time by job stage, read from the JVM's thread clocks. Flink names each task's threads after its chain of
 * operators ("segment utterances (1/2)#0"; the Kafka source's fetcher "Source Data Fetcher for Source: audio
 * chunks (1/2)#0"), so the threads of a local cluster can be summed per stage; everything else in the process
 * (the broker, the load, Flink's own services) is "outside the job's tasks".
 */
final class StageCpu {
    static final String OUTSIDE = "outside the job's tasks";
    private static final Pattern TASK_THREAD = Pattern.compile("^(.+?) \\(\\d+/\\d+\\)#\\d+$");
    private static final Pattern HELPER_PREFIX = Pattern.compile("^(Source Data Fetcher|OutputFlusher|System Time Trigger|Time Trigger) for ");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /**
     * CPU nanoseconds used so far per live thread, by thread id, with the stage each belongs to; and the JVM's own
     * threads, which Java does not list (JIT compilers, garbage collectors), by kind, where Linux shows them.
     */
    record Snapshot(Map<Long, Long> cpuNanos, Map<Long, String> stage, long processCpuNanos, Map<String, Long> jvmNanos) {
        Snapshot(Map<Long, Long> cpuNanos, Map<Long, String> stage, long processCpuNanos) {
            this(cpuNanos, stage, processCpuNanos, Map.of());
        }
    }

    static final String JIT = "JVM: JIT compilers";
    static final String GC = "JVM: garbage collector";
    /** Linux counts thread CPU in clock ticks of 10 ms (USER_HZ 100 on every mainstream kernel). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    Snapshot snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> stages = new HashMap<>();
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                cpu.put(info.getThreadId(), nanos);
                stages.put(info.getThreadId(), stageOf(info.getThreadName()));
            }
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        return new Snapshot(cpu, stages, process, jvmThreads());
    }

    /** CPU of the JVM's compiler and collector threads, read from /proc; empty where there is none. */
    private static Map<String, Long> jvmThreads() {
        Map<String, Long> nanos = new HashMap<>();
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return nanos;
        }
        for (File task : tasks) {
            try {
                String name = Files.readString(task.toPath().resolve("comm")).strip();
                String kind = name.startsWith("C2 Compiler") || name.startsWith("C1 Compiler") ? JIT
                        : name.startsWith("GC Thread") || name.startsWith("G1 ") ? GC : null;
                if (kind == null) {
                    continue;
                }
                String stat = Files.readString(task.toPath().resolve("stat"));
                // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                nanos.merge(kind, ticks * NANOS_PER_TICK, Long::sum);
            } catch (IOException | RuntimeException gone) {
                // The thread ended while being read: its time is not counted.
            }
        }
        return nanos;
    }

    /** CPU seconds per stage between two snapshots (threads that ended in between are not counted). */
    static Map<String, Double> secondsBetween(Snapshot before, Snapshot after) {
        Map<String, Double> seconds = new TreeMap<>();
        after.cpuNanos().forEach((id, nanos) -> {
            long used = nanos - before.cpuNanos().getOrDefault(id, 0L);
            seconds.merge(after.stage().get(id), used / 1e9, Double::sum);
        });
        after.jvmNanos().forEach((kind, nanos) ->
                seconds.put(kind, Math.max(0, nanos - before.jvmNanos().getOrDefault(kind, 0L)) / 1e9));
        return seconds;
    }

    /**
     * The stage a thread works for: the first operator of its task's chain ("segment utterances", "Source: audio
     * chunks"), its timer, flusher and fetcher threads included.
     */
    static String stageOf(String threadName) {
        // The job's own pools work for a stage from threads Flink does not name.
        if (threadName.startsWith("emostream-asr")) {
            return "speech recognition";
        }
        if (threadName.startsWith("emostream-speechlm")) {
            return "SpeechLM (cascade)";
        }
        Matcher task = TASK_THREAD.matcher(threadName);
        if (!task.matches()) {
            return OUTSIDE;
        }
        String chain = HELPER_PREFIX.matcher(task.group(1)).replaceFirst("");
        int next = chain.indexOf(" -> ");
        return next < 0 ? chain : chain.substring(0, next);
    }
}
