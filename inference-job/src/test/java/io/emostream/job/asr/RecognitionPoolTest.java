package io.emostream.job.asr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who waits for a recogniser. Live, the queue is short: an utterance beyond it goes on without a transcript rather
 * than hold events back. Analysing files, nobody is waiting, so every utterance waits its turn however many come at
 * once: the tasks here hold the recogniser's thread until released, as a slow recognition does.
 */
@Timeout(30)
class RecognitionPoolTest {
    private static final TranscribeUtterances.Settings LIVE = TranscribeUtterances.Settings.off().withRecognizer("sphinx");

    @Test
    void liveUtterancesBeyondTheQueueAreRefused() throws Exception {
        ThreadPoolExecutor pool = TranscribeUtterances.recognitionPool(LIVE);
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (int i = 0; i < LIVE.threads() + LIVE.queue(); i++) {
                pool.execute(() -> await(release));
            }

            assertThatThrownBy(() -> pool.execute(() -> await(release))).isInstanceOf(RejectedExecutionException.class);
        } finally {
            release.countDown();
            pool.shutdown();
        }
    }

    @Test
    void analysingFilesEveryUtteranceWaitsItsTurnAndIsRecognised() throws Exception {
        TranscribeUtterances.Settings files = LIVE.forFiles();
        ThreadPoolExecutor pool = TranscribeUtterances.recognitionPool(files);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger recognised = new AtomicInteger();
        int utterances = 200;
        try {
            for (int i = 0; i < utterances; i++) {
                pool.execute(() -> {
                    await(release);
                    recognised.incrementAndGet();
                });
            }
            release.countDown();
            pool.shutdown();

            assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
            assertThat(recognised).hasValue(utterances);
            assertThat(files.timeout()).isGreaterThanOrEqualTo(java.time.Duration.ofHours(1));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
