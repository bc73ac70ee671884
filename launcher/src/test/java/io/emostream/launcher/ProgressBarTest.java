package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final AtomicLong nanos = new AtomicLong();

    private void advanceSeconds(double seconds) {
        nanos.addAndGet((long) (seconds * 1e9));
    }

    @Test
    void outsideATerminalALineIsWrittenAtEveryTenth() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false, "analysing", nanos::get);

        bar.show(0, "0/8 clips");
        advanceSeconds(5);
        bar.show(0.05, "0/8 clips");
        advanceSeconds(5);
        // A quarter done after 10 s: the other three quarters take 30 s more.
        bar.show(0.25, "2/8 clips");
        bar.show(0.26, "2/8 clips");
        advanceSeconds(30);
        bar.show(1, "8/8 clips");
        bar.finish("8 clips analysed");

        assertThat(text.toString().lines()).containsExactly(
                "analysing [..............................]   0% 0/8 clips, ETA --:--",
                "analysing [########......................]  25% 2/8 clips, ETA 0:30",
                "analysing [##############################] 100% 8/8 clips, done",
                "analysing: 8 clips analysed in 0:40");
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlace() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), true, "reading", nanos::get);

        advanceSeconds(2);
        bar.show(0.5, "1/2 clips read");
        bar.show(0.5, "1/2 clips read");
        advanceSeconds(2);
        bar.show(1, "2/2 clips read");
        bar.finish("2 clips read");

        assertThat(text.toString()).isEqualTo("\rreading [###############...............]  50% 1/2 clips read, ETA 0:02"
                + "\rreading [##############################] 100% 2/2 clips read, done    "
                + "\rreading: 2 clips read in 0:04" + " ".repeat(37) + System.lineSeparator());
    }

    @Test
    void longWaitsReadAsHoursMinutesAndSeconds() {
        assertThat(ProgressBar.clock(59.4)).isEqualTo("0:59");
        assertThat(ProgressBar.clock(61)).isEqualTo("1:01");
        assertThat(ProgressBar.clock(3 * 3600 + 5 * 60 + 7)).isEqualTo("3:05:07");
    }
}
