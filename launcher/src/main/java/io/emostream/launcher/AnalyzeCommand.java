package io.emostream.launcher;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.SpeakerRoles;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.feed.FeedIngest;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.net.SourceException;
import io.emostream.ingest.stream.UrlIngest;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.schema.Alert;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.sinks.calls.AlertRules;
import io.emostream.sinks.calls.CallTracker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Analyse recorded calls or podcast episodes with the real pipeline.",
            "An embedded Kafka broker and the emostream Flink job on a local cluster; writes one JSON object per"
                + " utterance (EmotionEvent fields) and prints a summary per file. Exit status: 0 when every file was"
                + " analysed, 1 when any was rejected, 2 for bad usage."},
        footer = {"", "Examples:", "  bin/emotion analyze --roles agent,customer --out events.jsonl fixtures/audio/call-stereo-8k-mulaw.wav",
            "  bin/emotion analyze --roles host --out events.jsonl --url https://radio.example.org/live.mp3 --duration 300",
            "  bin/emotion analyze --roles host,guest --out events.jsonl --feed https://example.org/podcast.rss --episodes 3"})
final class AnalyzeCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "EVENTS.jsonl", description = "Where to write the events.")
    Path out;

    @Option(names = "--roles", paramLabel = "ROLE,...", defaultValue = "",
            description = "Role of channel 0, 1, ...: agent, customer, host, guest, unknown (default: unknown).")
    String roles;

    @Option(names = "--asr", defaultValue = "none", paramLabel = "none|sphinx|whisper:PATH",
            description = {"Speech recognition: none (default); sphinx (CMU Sphinx4, embedded, offline; slower than",
                "real time, about 30%% word errors on clean speech); or whisper:PATH, whisper.cpp with the ggml model",
                "file at PATH (e.g. ggml-base.en.bin, downloaded from the whisper.cpp project)."})
    String asr;

    @Option(names = "--model", defaultValue = "cue", paramLabel = "MODEL", description = Options.MODEL_HELP)
    String model;

    @CommandLine.Mixin
    AnalysisOptions analysisOptions;

    @Option(names = "--alerts-out", paramLabel = "ALERTS.jsonl",
            description = "Also write the alerts the files raise (default alert rules), one JSON object per line.")
    Path alertsOut;

    @Option(names = "--alert-rules", paramLabel = "FILE",
            description = "Alert rule thresholds to change, as properties (e.g. consecutive=4); see sinks/README.md.")
    Path alertRules;

    @Option(names = "--audio-track", paramLabel = "N", defaultValue = "0",
            description = "Which audio track of a media file (mp4, mkv, webm, mov ...) to analyse, counting from 0 (default: 0, the first).")
    int audioTrack;

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "Recordings (wav, mp3, m4a, ogg, opus, flac, or the"
            + " audio of mp4, mkv, webm, mov), or directories searched for them.")
    List<Path> inputs = List.of();

    @CommandLine.Mixin
    UrlOptions url;

    @CommandLine.Mixin
    FeedOptions feed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Analysing recordings may wait for every transcript: nobody is watching live.
        TranscribeUtterances.Settings speech = Options.speechRecognitionForFiles(spec, asr);
        AlertRules rules = Options.alertRules(spec, alertRules);
        String emotionModel = Options.emotionModel(spec, model);
        List<SpeakerRole> roleList;
        try {
            roleList = roles.isBlank() ? List.of() : SpeakerRoles.parse(roles);
        } catch (InvalidInputException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--roles: " + e.getMessage() + ".");
        }
        if (audioTrack < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--audio-track counts from 0, so it cannot be " + audioTrack + ".");
        }
        if (inputs.isEmpty() && !url.given() && !feed.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give recordings or directories, --url, or --feed: what to analyse.");
        }
        if (feed.follow) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--follow never ends, and analyze waits for its inputs"
                    + " to end: use it with ingest or demo; analyze takes the episodes the feed holds now.");
        }
        // Live streams must end for a batch analysis: --duration says where (checked per stream once it is known to be live).
        UrlIngest.Settings streams = url.given() ? url.settings(spec, false, false) : null;
        FeedIngest.Settings feedSettings = feed.given() ? feed.settings(spec) : null;
        Options.requireWritable("--out", out);
        if (alertsOut != null) {
            Options.requireWritable("--alerts-out", alertsOut);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try (LocalPipeline pipeline = LocalPipeline.start()) {
            FileIngest.Options options = new FileIngest.Options(100, false, roleList, null, CallIdentity.NONE, audioTrack);
            Consumer<IngestOutcome> rejections = outcome -> {
                if (outcome instanceof IngestOutcome.Rejected rejected) {
                    stderr.printf("rejected: %s: %s%n", rejected.input(), rejected.reason());
                    stderr.flush();
                }
            };
            List<IngestOutcome> outcomes = pipeline.publish(publisher -> {
                List<IngestOutcome> all = new ArrayList<>(inputs.isEmpty() ? List.of()
                        : new FileIngest(publisher, options, rejections).ingestPaths(inputs));
                if (streams != null) {
                    all.addAll(ingestUrls(publisher, options, streams, rejections, stderr));
                }
                if (feedSettings != null) {
                    all.addAll(ingestFeed(publisher, options, feedSettings, stderr));
                }
                return all;
            });
            List<IngestOutcome.Ingested> calls = outcomes.stream().filter(IngestOutcome.Ingested.class::isInstance)
                    .map(IngestOutcome.Ingested.class::cast).toList();
            long rejected = outcomes.size() - calls.size();
            if (calls.isEmpty()) {
                stderr.println("analyze: no file could be read, so there is nothing to analyse.");
                return EmotionCli.INPUT_FAILED;
            }
            ProgressBar analysing = ProgressBar.onStderr(stderr, "analysing");
            List<EmotionEvent> events = pipeline.analyse("analyze", speech, emotionModel, analysisOptions.settings(spec), progressShownOn(analysing, calls));
            analysing.finish(events.size() + " utterance" + (events.size() == 1 ? "" : "s") + " found");
            write(events);
            printSummary(calls, events, stdout);
            if (alertsOut != null) {
                List<Alert> alerts = CallTracker.alertsOf(events, rules);
                writeJsonLines(alertsOut, alerts);
                stdout.printf("%d alert%s written to %s.%n", alerts.size(), alerts.size() == 1 ? "" : "s", alertsOut);
            }
            if (rejected > 0) {
                stderr.printf("%d input%s rejected (see above).%n", rejected, rejected == 1 ? " was" : "s were");
            }
            stdout.flush();
            stderr.flush();
            return rejected > 0 ? EmotionCli.INPUT_FAILED : 0;
        }
    }

    /** Every URL at once (live streams then take --duration in all, not one after the other), each a call. */
    private List<IngestOutcome> ingestUrls(ChunkPublisher publisher, FileIngest.Options options, UrlIngest.Settings streams,
                                           Consumer<IngestOutcome> rejections, PrintWriter stderr) {
        UrlIngest ingest = new UrlIngest(publisher, options, streams, notice -> {
            synchronized (stderr) {
                stderr.println(notice);
                stderr.flush();
            }
        });
        return url.ingestAll(ingest, null, rejections);
    }

    /**
     * The episodes the feed holds now (the newest --episodes of them). Analysing does not mark them ingested: a
     * temporary state is used, unless --feed-state names one to keep.
     */
    private List<IngestOutcome> ingestFeed(ChunkPublisher publisher, FileIngest.Options options, FeedIngest.Settings settings,
                                           PrintWriter stderr) {
        Path temporary = null;
        try {
            if (feed.stateFile == null) {
                temporary = Files.createTempDirectory("emostream-analyze-feed");
                feed.stateFile = temporary.resolve("state.json");
            }
            FeedPrinter printer = new FeedPrinter(stderr, stderr);
            FeedIngest ingest = new FeedIngest(feed.feed, new FileIngest(publisher, options, outcome -> { }), feed.state(),
                    CallIdentity.NONE, settings, printer);
            ingest.ingestNew();
            return printer.outcomes();
        } catch (SourceException e) {
            throw new EmotionCli.UserException(e.getMessage() + ".", e);
        } catch (IOException e) {
            throw new EmotionCli.UserException("A temporary folder for the feed's state cannot be made (" + e.getMessage() + ").", e);
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }

    /** The audio analysed so far, on a bar (redrawn in place on a terminal, a line at every tenth elsewhere). */
    private static Consumer<Collection<EmotionEvent>> progressShownOn(ProgressBar bar, List<IngestOutcome.Ingested> calls) {
        double totalSeconds = calls.stream().mapToDouble(IngestOutcome.Ingested::seconds).sum();
        Map<String, Double> secondsByCall = calls.stream()
                .collect(Collectors.toMap(IngestOutcome.Ingested::callId, IngestOutcome.Ingested::seconds));
        return events -> {
            Map<String, Double> reached = new LinkedHashMap<>();
            int count = 0;
            for (EmotionEvent event : events) {
                reached.merge(event.getCallId(), event.getEndMs() / 1000.0, Math::max);
                count++;
            }
            double done = reached.entrySet().stream()
                    .mapToDouble(e -> Math.min(e.getValue(), secondsByCall.getOrDefault(e.getKey(), 0.0))).sum();
            bar.show(totalSeconds == 0 ? 1 : done / totalSeconds,
                    String.format(Locale.ROOT, "of %.1f s analysed, %d utterances", totalSeconds, count));
        };
    }

    /** Events in stream order per call: the order the alert rules take them in too. */
    private void write(List<EmotionEvent> events) throws IOException {
        events.sort(Comparator.comparing(EmotionEvent::getCallId).thenComparing(EmotionEvent::getStartMs)
                .thenComparing(EmotionEvent::getChannel));
        writeJsonLines(out, events);
    }

    private static void writeJsonLines(Path file, List<? extends SpecificRecord> records) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (SpecificRecord record : records) {
                // Avro's own rendering of a record: JSON with the schema's field names.
                writer.write(GenericData.get().toString(record));
                writer.write('\n');
            }
        }
    }

    private void printSummary(List<IngestOutcome.Ingested> calls, List<EmotionEvent> events, PrintWriter stdout) {
        stdout.printf("%-40s %8s %10s  %s%n", "file", "audio s", "utterances", "labels (count), mean arousal / valence");
        for (IngestOutcome.Ingested call : calls) {
            List<EmotionEvent> mine = events.stream().filter(e -> e.getCallId().equals(call.callId())).toList();
            Map<String, Long> labels = mine.stream().collect(Collectors.groupingBy(
                    e -> e.getEmotionWithheld() != null ? AnalysisOptions.WITHHELD : e.getLabel(), Collectors.counting()));
            String top = labels.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(3).map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            // Means over the utterances whose emotion was analysed; a withheld one has no arousal or valence.
            List<EmotionEvent> analysed = mine.stream().filter(e -> e.getEmotionWithheld() == null).toList();
            double arousal = analysed.stream().mapToDouble(EmotionEvent::getArousal).average().orElse(0);
            double valence = analysed.stream().mapToDouble(EmotionEvent::getValence).average().orElse(0);
            stdout.printf(Locale.ROOT, "%-40s %8.1f %10d  %s%s%n", shorten(call.input()), call.seconds(), mine.size(),
                    top.isEmpty() ? "no speech found" : top, analysed.isEmpty() ? "" : String.format(Locale.ROOT, "; %+.2f / %+.2f", arousal, valence));
        }
        Map<String, Long> speechLm = events.stream().filter(e -> e.getSpeechLm() != null)
                .collect(Collectors.groupingBy(e -> e.getSpeechLm().getStatus().name(), TreeMap::new, Collectors.counting()));
        if (!speechLm.isEmpty()) {
            // A fallback keeps the local model's result; say how many there were, so nobody mistakes them for answers.
            stdout.printf("SpeechLM: %s.%n", speechLm.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", ")));
        }
        stdout.printf("%d events written to %s.%n", events.size(), out);
    }

    private static String shorten(String path) {
        return path.length() <= 40 ? path : "..." + path.substring(path.length() - 37);
    }
}
