package io.emostream.launcher;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar with an estimate of the time left. On a terminal it is redrawn in place; elsewhere (a log file, CI)
 * a plain line is written at every tenth of the way, so that the log stays readable. {@code bin/emotion} says
 * whether standard error is a terminal with {@value #TERMINAL_PROPERTY}.
 */
final class ProgressBar {
    static final String TERMINAL_PROPERTY = "emostream.stderr.terminal";
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private final String task;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private String shown = "";
    private int tenthsShown = -1;

    ProgressBar(PrintWriter out, boolean terminal, String task, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.task = task;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
    }

    /** A bar on standard error as {@code bin/emotion} describes it. */
    static ProgressBar onStderr(PrintWriter err, String task) {
        return new ProgressBar(err, Boolean.getBoolean(TERMINAL_PROPERTY), task, System::nanoTime);
    }

    /** @param share how much of the work is done, 0 to 1; {@code detail} says it in the work's own units */
    void show(double share, String detail) {
        double done = Math.max(0, Math.min(1, share));
        if (terminal) {
            String line = line(done, detail);
            if (!line.equals(shown)) {
                // Spaces wipe what a longer previous line left behind.
                out.print("\r" + line + " ".repeat(Math.max(0, shown.length() - line.length())));
                out.flush();
                shown = line;
            }
        } else if ((int) (done * 10) > tenthsShown) {
            tenthsShown = (int) (done * 10);
            out.println(line(done, detail));
            out.flush();
        }
    }

    /** Ends the bar with a last line saying what was done. */
    void finish(String summary) {
        String line = String.format(Locale.ROOT, "%s: %s in %s", task, summary, clock(elapsedSeconds()));
        out.println(terminal ? "\r" + line + " ".repeat(Math.max(0, shown.length() - line.length())) : line);
        out.flush();
    }

    String line(double done, String detail) {
        int filled = (int) Math.round(done * WIDTH);
        return String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %s, %s", task, "#".repeat(filled), ".".repeat(WIDTH - filled),
                done * 100, detail, eta(done));
    }

    /** The time left if the rest goes as fast as the work so far; unknown until a little is done. */
    private String eta(double done) {
        double elapsed = elapsedSeconds();
        if (done >= 1) {
            return "done";
        }
        if (done < 0.01 || elapsed < 1) {
            return "ETA --:--";
        }
        return "ETA " + clock(elapsed * (1 - done) / done);
    }

    private double elapsedSeconds() {
        return (nanoTime.getAsLong() - startNanos) / 1e9;
    }

    /** m:ss, or h:mm:ss from an hour up. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
