package io.emostream.job.asr;

import io.emostream.job.JobMetrics;
import io.emostream.job.segment.Utterance;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speech recognition as its own bounded, asynchronous stage: recognisers run on a small pool of threads, each with
 * its own recogniser (Sphinx4, or whisper.cpp over one model shared by the threads). Recognition is slower than
 * real time on a CPU, so it never holds events back for long: when the queue is full, or recognition takes longer
 * than the timeout, the utterance goes on without a transcript, marked OVERLOADED. The input is never changed;
 * what goes on is a copy with the outcome.
 */
public final class TranscribeUtterances extends RichAsyncFunction<Utterance, Utterance> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TranscribeUtterances.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    /**
     * @param recognizer {@code none}, {@code sphinx}, or {@code whisper:PATH} to a whisper.cpp ggml model file
     * @param threads    recognisers per subtask
     * @param queue      utterances waiting for a recogniser; beyond that they go on without a transcript
     *                   ({@link #UNBOUNDED}: every utterance waits its turn)
     * @param timeout    longest an utterance waits for its transcript
     */
    public record Settings(String recognizer, int threads, int queue, Duration timeout) implements Serializable {
        public static final String NONE = "none";
        public static final String SPHINX = "sphinx";
        public static final String WHISPER = "whisper:";

        /** A queue without limit: in a bounded run (files) nobody waits live, so every utterance waits its turn. */
        public static final int UNBOUNDED = Integer.MAX_VALUE;
        /** How long an utterance of a bounded run may wait: no real limit, only a guard against a hung recogniser. */
        public static final Duration FILES_TIMEOUT = Duration.ofHours(24);

        public static Settings off() {
            return new Settings(NONE, 1, 4, Duration.ofSeconds(10));
        }

        /**
         * For analysing files: every utterance waits its turn for the recogniser, however many there are and however
         * slow it is, so none goes on without a transcript for want of time.
         */
        public Settings forFiles() {
            return new Settings(recognizer, threads, UNBOUNDED, FILES_TIMEOUT);
        }

        public Settings {
            boolean whisper = recognizer.startsWith(WHISPER) && !recognizer.substring(WHISPER.length()).isBlank();
            if (!recognizer.equals(NONE) && !recognizer.equals(SPHINX) && !whisper) {
                throw new IllegalArgumentException("unknown speech recogniser '" + recognizer + "'; use " + NONE + ", "
                        + SPHINX + ", or " + WHISPER + "PATH to a whisper.cpp ggml model file.");
            }
        }

        public boolean enabled() {
            return !recognizer.equals(NONE);
        }

        /** The whisper.cpp model file, when whisper is the recogniser. */
        public Optional<Path> whisperModel() {
            return recognizer.startsWith(WHISPER) ? Optional.of(Path.of(recognizer.substring(WHISPER.length()))) : Optional.empty();
        }

        /** How events name the recogniser in their field sources: sphinx4, or whisper.cpp with the model file's name. */
        public String recognizerId() {
            return whisperModel().map(model -> "whisper.cpp:" + model.getFileName()).orElse(enabled() ? "sphinx4" : NONE);
        }

        public Settings withRecognizer(String name) {
            return new Settings(name, threads, queue, timeout);
        }

        public Settings withTimeout(Duration limit) {
            return new Settings(recognizer, threads, queue, limit);
        }
    }

    private final Settings settings;
    private transient ThreadPoolExecutor pool;
    private transient ThreadLocal<SpeechRecognizer> recognizers;
    private transient List<SpeechRecognizer> opened;
    private transient SpeechRecognizers speech;
    private transient Counter overloaded;
    private transient Histogram latencyMs;

    public TranscribeUtterances(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) throws IOException {
        speech = SpeechRecognizers.open(settings);
        pool = recognitionPool(settings);
        opened = new CopyOnWriteArrayList<>();
        recognizers = ThreadLocal.withInitial(this::newRecognizer);
        var metrics = getRuntimeContext().getMetricGroup();
        overloaded = JobMetrics.counter(metrics, JobMetrics.ASR_OVERLOADED);
        latencyMs = JobMetrics.histogram(metrics, JobMetrics.ASR_LATENCY_MS);
        metrics.addGroup(JobMetrics.GROUP).gauge(JobMetrics.ASR_BACKLOG,
                (Gauge<Integer>) () -> pool.getQueue().size() + pool.getActiveCount());
    }

    /**
     * The recognisers' threads and the utterances waiting for them: a bounded queue, beyond which an utterance is
     * refused (and goes on OVERLOADED), or for files a queue without limit.
     */
    static ThreadPoolExecutor recognitionPool(Settings settings) {
        BlockingQueue<Runnable> waiting = settings.queue() == Settings.UNBOUNDED ? new LinkedBlockingQueue<>()
                : new ArrayBlockingQueue<>(Math.max(1, settings.queue()));
        return new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS, waiting,
                runnable -> {
                    Thread thread = new Thread(runnable, "emostream-asr");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public void asyncInvoke(Utterance utterance, ResultFuture<Utterance> result) {
        try {
            pool.execute(() -> result.complete(List.of(transcribed(utterance))));
        } catch (RejectedExecutionException busy) {
            overloaded.inc();
            result.complete(List.of(utterance.withTranscript(null, "OVERLOADED", null)));
        }
    }

    @Override
    public void timeout(Utterance utterance, ResultFuture<Utterance> result) {
        overloaded.inc();
        result.complete(List.of(utterance.withTranscript(null, "OVERLOADED", null)));
    }

    @Override
    public void close() {
        if (pool == null) {
            return;
        }
        pool.shutdownNow();
        // A recognition in native code cannot be interrupted, and freeing its state under it would crash the JVM;
        // a cancelled task interrupts this thread, so the waiting and freeing happen on a thread of their own.
        ThreadPoolExecutor running = pool;
        List<SpeechRecognizer> recognizers = opened;
        SpeechRecognizers loaded = speech;
        Thread release = new Thread(() -> {
            try {
                if (!running.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("Speech recognition still running {} after close; its recognisers are left to the JVM", CLOSE_WAIT);
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            recognizers.forEach(SpeechRecognizer::close);
            loaded.close();
        }, "emostream-asr-release");
        release.setDaemon(true);
        release.start();
    }

    private Utterance transcribed(Utterance utterance) {
        long started = System.nanoTime();
        try {
            String text = recognizers.get().transcribe(utterance.samples);
            latencyMs.update((System.nanoTime() - started) / 1_000_000);
            return utterance.withTranscript(text, "PRESENT", settings.recognizerId());
        } catch (Exception e) {
            LOG.warn("Speech recognition failed on utterance {}: {}", utterance.id(), e.toString());
            return utterance.withTranscript(null, "FAILED", null);
        }
    }

    private SpeechRecognizer newRecognizer() {
        try {
            SpeechRecognizer recognizer = speech.newRecognizer();
            opened.add(recognizer);
            return recognizer;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not load the speech recogniser " + settings.recognizer(), e);
        }
    }
}
