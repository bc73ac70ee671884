package io.emostream.launcher;

import io.emostream.ingest.file.FileIngest;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on standard error for each long recording ingested one after another (an hour-long episode takes a
 * while even faster than real time). Recordings shorter than {@value #LONG_SECONDS} s, or that declare no length,
 * get none: their line in the summary comes soon enough.
 */
final class RecordingProgress implements FileIngest.Progress, AutoCloseable {
    static final double LONG_SECONDS = 60;

    private final PrintWriter err;
    private String input;
    private ProgressBar bar;
    private double total;

    RecordingProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void advanced(String input, double seconds, double totalSeconds) {
        if (!input.equals(this.input)) {
            close();
            this.input = input;
            this.total = totalSeconds;
            bar = totalSeconds >= LONG_SECONDS ? ProgressBar.onStderr(err, "ingesting " + input) : null;
        }
        if (bar == null) {
            return;
        }
        bar.show(seconds / total, String.format(Locale.ROOT, "%s of %s of audio", ProgressBar.clock(seconds), ProgressBar.clock(total)));
        if (seconds >= total) {
            bar.finish(ProgressBar.clock(seconds) + " of audio");
            bar = null;
        }
    }

    /** Ends a bar left open by a recording that ended before its declared length. */
    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.finish("stopped");
            bar = null;
        }
    }
}
