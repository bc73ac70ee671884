package io.emostream.launcher.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/** The capacity benchmark's figures as a Markdown table, as JSON, and as a picture of latency and lag against N. */
public final class CapacityReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** For figures of a job that runs in another process. */
    private static final String NOT_HERE = "n/a";

    private CapacityReport() {
    }

    public static String markdown(List<CapacityResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("| streams | sustained | events | VAD end → readable p50 / p95 / p99 / max ms | of which in the job p50 / p99 ms"
                + " | last chunk → readable p50 / p99 ms | max lag ms | lag growth ms/s | job CPU-s per audio-s | heap per stream | GC ms | load late / errors |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (CapacityResult r : results) {
            out.append(String.format(Locale.ROOT, "| %d | %s | %d | %d / %d / %d / %d | %d / %d | %d / %d | %d | %.1f | %s | %s | %s | %d / %d |%n",
                    r.streams(), r.sustained() ? "yes" : "no", r.events(), r.p50Ms(), r.p95Ms(), r.p99Ms(), r.maxMs(),
                    r.inJobP50Ms(), r.inJobP99Ms(), r.lastChunkP50Ms(), r.lastChunkP99Ms(), r.maxLagMs(), r.lagGrowth(),
                    Double.isNaN(r.cpuSecondsPerAudioSecond()) ? NOT_HERE : String.format(Locale.ROOT, "%.4f", r.cpuSecondsPerAudioSecond()),
                    r.heapBytesPerStream() < 0 ? NOT_HERE : bytes(r.heapBytesPerStream()),
                    r.gcPauseMs() < 0 ? NOT_HERE : Long.toString(r.gcPauseMs()), r.loadLateTicks(), r.sendErrors()));
        }
        return out.toString();
    }

    /** CPU per stage for one run, largest first. */
    public static String stages(CapacityResult result) {
        boolean jobElsewhere = Double.isNaN(result.cpuSecondsPerAudioSecond());
        StringBuilder out = new StringBuilder(jobElsewhere
                ? "The job ran on the cluster, whose own monitoring shows its CPU; this process only:\n\n" : "");
        out.append("| stage (" + result.streams() + " streams) | CPU-s per audio-s |\n|---|---|\n");
        result.stageCpuPerAudioSecond().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(stage -> out.append(String.format(Locale.ROOT, "| %s | %.5f |%n", stage.getKey(), stage.getValue())));
        out.append(String.format(Locale.ROOT, "| whole process (%s) | %.5f |%n",
                jobElsewhere ? "broker, load, probes, JVM" : "job, broker, load, probes, JVM", result.processCpuPerAudioSecond()));
        return out.toString();
    }

    /**
     * The figures with the keys the issue names ({@code streams}, {@code sustained}, {@code p50Ms}, {@code p95Ms},
     * {@code p99Ms}, {@code maxMs}, {@code maxLagMs}, {@code cpuSecondsPerAudioSecond}, {@code heapBytesPerStream})
     * and the rest beside them; with several runs, the last sustained one at the top and every run under "runs".
     */
    public static void writeJson(Path file, List<CapacityResult> results, Double vadRatio, Map<String, Object> setting)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        CapacityResult headline = results.stream().filter(CapacityResult::sustained).reduce((a, b) -> b.streams() > a.streams() ? b : a)
                .orElse(results.get(results.size() - 1));
        fill(root, headline);
        if (vadRatio != null) {
            root.put("vadBatchedVsPerStreamCpuRatio", vadRatio);
        }
        root.set("setting", JSON.valueToTree(setting));
        ArrayNode runs = root.putArray("runs");
        results.forEach(result -> fill(runs.addObject(), result));
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    private static void fill(ObjectNode node, CapacityResult r) {
        node.put("streams", r.streams()).put("sustained", r.sustained()).put("events", r.events())
                .put("measuredSeconds", r.measuredSeconds())
                .put("p50Ms", r.p50Ms()).put("p95Ms", r.p95Ms()).put("p99Ms", r.p99Ms()).put("maxMs", r.maxMs())
                .put("lastChunkP50Ms", r.lastChunkP50Ms()).put("lastChunkP95Ms", r.lastChunkP95Ms())
                .put("lastChunkP99Ms", r.lastChunkP99Ms()).put("lastChunkMaxMs", r.lastChunkMaxMs())
                .put("inJobP50Ms", r.inJobP50Ms()).put("inJobP99Ms", r.inJobP99Ms())
                .put("maxLagMs", r.maxLagMs()).put("lagGrowthMsPerS", r.lagGrowth())
                .put("processCpuSecondsPerAudioSecond", r.processCpuPerAudioSecond())
                .put("loadLateTicks", r.loadLateTicks()).put("loadSendErrors", r.sendErrors())
                .put("audioSeconds", r.audioSeconds());
        // Null where the job ran in another process, whose CPU, heap and collectors this one cannot see.
        if (Double.isNaN(r.cpuSecondsPerAudioSecond())) {
            node.putNull("cpuSecondsPerAudioSecond");
        } else {
            node.put("cpuSecondsPerAudioSecond", r.cpuSecondsPerAudioSecond());
        }
        if (r.heapBytesPerStream() < 0) {
            node.putNull("heapBytesPerStream").putNull("gcPauseMs");
        } else {
            node.put("heapBytesPerStream", r.heapBytesPerStream()).put("gcPauseMs", r.gcPauseMs());
        }
        node.set("stageCpuSecondsPerAudioSecond", JSON.valueToTree(r.stageCpuPerAudioSecond()));
    }

    /** Two panels against the number of streams: latency percentiles (VAD end → readable), and the largest lag. */
    public static String svg(List<CapacityResult> results) {
        List<CapacityResult> sorted = results.stream().sorted((a, b) -> Integer.compare(a.streams(), b.streams())).toList();
        int width = 720;
        int panel = 260;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                width, 2 * panel + 60));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        panel(svg, sorted, 20, panel, width, "Latency, VAD end → event readable (ms)",
                List.of(new Line("p50", "#4a78c2", CapacityResult::p50Ms), new Line("p95", "#e0a030", CapacityResult::p95Ms),
                        new Line("p99", "#c23b3b", CapacityResult::p99Ms)));
        panel(svg, sorted, panel + 50, panel, width, "Largest consumer lag (ms)",
                List.of(new Line("max lag", "#555555", CapacityResult::maxLagMs)));
        return svg.append("</svg>\n").toString();
    }

    private record Line(String name, String colour, ToLongFunction<CapacityResult> value) {
    }

    private static void panel(StringBuilder svg, List<CapacityResult> results, int top, int height, int width, String title,
                              List<Line> lines) {
        int left = 70;
        int right = width - 20;
        int bottom = top + height - 30;
        int plotTop = top + 20;
        double maxX = results.stream().mapToInt(CapacityResult::streams).max().orElse(1);
        double maxY = Math.max(1, results.stream().flatMapToLong(r -> lines.stream().mapToLong(l -> l.value().applyAsLong(r))).max().orElse(1));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", left, top + 10, title));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left, bottom, right, bottom));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left, plotTop, left, bottom));
        for (int tick = 0; tick <= 4; tick++) {
            double value = maxY * tick / 4;
            double y = bottom - (bottom - plotTop) * tick / 4.0;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", left - 6, y + 4, value));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n", left, y, right, y));
        }
        for (CapacityResult r : results) {
            double x = left + (right - left) * r.streams() / maxX;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d%s</text>%n", x, bottom + 16,
                    r.streams(), r.sustained() ? "" : " ✗"));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">streams (✗: not sustained)</text>%n", right, bottom + 30));
        int legend = left + 10;
        for (Line line : lines) {
            StringBuilder points = new StringBuilder();
            for (CapacityResult r : results) {
                long value = line.value().applyAsLong(r);
                if (value < 0) {
                    continue;
                }
                double x = left + (right - left) * r.streams() / maxX;
                double y = bottom - (bottom - plotTop) * value / maxY;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, line.colour()));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    points.toString().trim(), line.colour()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", legend, plotTop + 12, line.colour(), line.name()));
            legend += 60;
        }
    }

    private static String bytes(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20))
                : String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
    }
}
