package io.emostream.launcher;

import static io.emostream.launcher.evaluate.EvaluationReport.figure;

import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.job.EmotionModels;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.event.EventBuilder;
import io.emostream.job.model.CueEstimator;
import io.emostream.job.model.LabelSet;
import io.emostream.job.rationale.GroundingCheck;
import io.emostream.launcher.evaluate.DimensionScale;
import io.emostream.launcher.evaluate.Evaluation;
import io.emostream.launcher.evaluate.EvaluationLabels;
import io.emostream.launcher.evaluate.EvaluationReport;
import io.emostream.launcher.evaluate.Grounding;
import io.emostream.launcher.evaluate.ItemPrediction;
import io.emostream.launcher.evaluate.LabelMap;
import io.emostream.launcher.evaluate.LabelledItem;
import io.emostream.launcher.evaluate.ManifestException;
import io.emostream.launcher.evaluate.ManifestReader;
import io.emostream.launcher.evaluate.ReferenceLabels;
import io.emostream.launcher.evaluate.ReportContext;
import io.emostream.launcher.evaluate.ScoreMapping;
import io.emostream.launcher.evaluate.ScoredItem;
import io.emostream.launcher.evaluate.UtteranceResult;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeechLmStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate an emotion model on a labelled set with the real pipeline.",
            "An embedded Kafka broker and the emostream Flink job on a local cluster; reports majority and"
                + " annotator-aware accuracy and macro-F1, balanced accuracy, arousal/valence CCC, calibration,"
                + " rationale grounding, a confusion matrix and a Markdown report. Exit status: 0 when every clip was"
                + " read, 1 when a clip's audio could not be read or the manifest is wrong, 2 for bad usage. See"
                + " docs/evaluation.md for the manifest, the label maps and the metrics' definitions."},
        footer = {"", "Example:", "  bin/emotion evaluate --manifest msp-test.csv --label-map msp-podcast --dimension-scale 1:7 --out msp-report"})
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--manifest", required = true, paramLabel = "FILE",
            description = "The labelled clips: CSV with a header line, or JSON lines (.jsonl); see docs/evaluation.md.")
    Path manifest;

    @Option(names = "--label-set", defaultValue = "msp-podcast", paramLabel = "SET",
            description = {"The labels to score against: msp-podcast (default, the model's own 8), iemocap4, emotionthinker9,",
                "or your own list, e.g. calm,tense. Scores of the default set are mapped onto the others and renormalised."})
    String labelSet;

    @Option(names = "--label-map", paramLabel = "PRESET|FILE",
            description = {"How the manifest's labels map to the label set: a corpus preset (msp-podcast, iemocap, meld) or a",
                "file of 'label = target' lines (target '-' leaves a label out). Default: the manifest uses the set's labels."})
    String labelMap;

    @Option(names = "--model", defaultValue = "cue", paramLabel = "MODEL", description = Options.MODEL_HELP)
    String model;

    @CommandLine.Mixin
    AnalysisOptions analysisOptions;

    @Option(names = "--asr", defaultValue = "none", paramLabel = "none|sphinx|whisper:PATH",
            description = "Speech recognition, as for analyze (default none); the words feed valence and the emotion keywords.")
    String asr;

    @Option(names = "--dimension-scale", defaultValue = "-1:1", paramLabel = "LOW:HIGH",
            description = {"The scale of the manifest's arousal, valence and dominance (MSP-Podcast 1:7, IEMOCAP 1:5); they are",
                "rescaled to the model's -1 to 1 before the CCC. Default: -1:1."})
    String dimensionScale;

    @Option(names = "--audio-root", paramLabel = "DIR",
            description = "What relative audio paths in the manifest are relative to (default: the manifest's folder).")
    Path audioRoot;

    @Option(names = "--out", defaultValue = "evaluation-report", paramLabel = "DIR",
            description = "Where the report goes: report.md, confusion.svg, metrics.json, predictions.csv (default: evaluation-report).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Utterances in the order they were spoken, so that sums over them come out the same on every run. */
    private static final Comparator<EmotionEvent> IN_STREAM_ORDER = Comparator.comparing(EmotionEvent::getStartMs)
            .thenComparing(EmotionEvent::getChannel);

    @Override
    public Integer call() throws Exception {
        EvaluationLabels labels = option("--label-set", () -> EvaluationLabels.parse(labelSet));
        String emotionModel = Options.emotionModel(spec, model);
        LabelSet modelLabels = EmotionModels.create(EmotionModels.parse(emotionModel).local()).labels();
        ScoreMapping mapping = option("--label-set", () -> ScoreMapping.between(modelLabels, labels));
        LabelMap aliases = labelMap == null ? LabelMap.none() : option("--label-map", () -> LabelMap.parse(labelMap, labels));
        DimensionScale scale = option("--dimension-scale", () -> DimensionScale.parse(dimensionScale));
        TranscribeUtterances.Settings speech = Options.speechRecognitionForFiles(spec, asr);
        ManifestReader.Manifest clips;
        try {
            clips = ManifestReader.read(manifest, new ReferenceLabels(labels, aliases), scale, audioRoot);
        } catch (ManifestException e) {
            throw new EmotionCli.UserException(e.getMessage(), e);
        }
        Options.requireWritableFolder("--out", out);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();

        // One call per clip, named by its place in the manifest: events find their clip whatever its file is called.
        List<LabelledItem> items = clips.items();
        Map<String, LabelledItem> byCall = new HashMap<>();
        List<String> callIds = new ArrayList<>();
        String format = "clip-%0" + String.valueOf(items.size()).length() + "d";
        for (int i = 0; i < items.size(); i++) {
            callIds.add(String.format(Locale.ROOT, format, i + 1));
            byCall.put(callIds.get(i), items.get(i));
        }
        try (LocalPipeline pipeline = LocalPipeline.start()) {
            Map<String, IngestOutcome> outcomes = read(pipeline, callIds, byCall, stderr);
            Map<String, Double> seconds = new HashMap<>();
            outcomes.forEach((callId, outcome) -> {
                if (outcome instanceof IngestOutcome.Ingested ingested) {
                    seconds.put(callId, ingested.seconds());
                }
            });
            if (seconds.isEmpty()) {
                throw new EmotionCli.UserException("No clip of " + manifest + " could be read (see above), so there is"
                        + " nothing to evaluate; check the audio files.");
            }
            ProgressBar analysing = ProgressBar.onStderr(stderr, "analysing");
            List<EmotionEvent> events = pipeline.analyse("evaluate", speech, emotionModel, analysisOptions.settings(spec),
                    progressOf(analysing, seconds, items.size()));
            analysing.finish(items.size() + " clips analysed, " + events.size() + " utterances");

            Map<String, List<EmotionEvent>> eventsByCall = events.stream().collect(Collectors.groupingBy(EmotionEvent::getCallId));
            List<ScoredItem> scored = new ArrayList<>();
            for (String callId : callIds) {
                IngestOutcome outcome = outcomes.get(callId);
                ItemPrediction prediction = outcome instanceof IngestOutcome.Rejected rejected
                        ? ItemPrediction.none("the audio cannot be read: " + rejected.reason())
                        : prediction(labels.labels(), eventsByCall.getOrDefault(callId, List.of()), mapping);
                scored.add(new ScoredItem(byCall.get(callId), prediction));
            }
            Evaluation evaluation = Evaluation.of(labels, scored);
            long rejected = outcomes.values().stream().filter(IngestOutcome.Rejected.class::isInstance).count();
            ReportContext context = new ReportContext(commandLine(), emotionModel,
                    events.stream().map(EmotionEvent::getModelId).distinct().sorted().toList(), modelStatement(emotionModel),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS), mapping.describe(), aliases.describe(), clips, scale, rejected);
            EvaluationReport.write(out, context, evaluation);
            printSummary(stdout, evaluation, clips);
            if (rejected > 0) {
                stderr.printf("%d clip%s could not be read (see above); counted as misses.%n", rejected,
                        rejected == 1 ? "" : "s");
            }
            stdout.flush();
            stderr.flush();
            return rejected > 0 ? EmotionCli.INPUT_FAILED : 0;
        }
    }

    /** Ingests every clip (only its segment, when it has one) as its own call, with a bar over the clips. */
    private Map<String, IngestOutcome> read(LocalPipeline pipeline, List<String> callIds, Map<String, LabelledItem> byCall,
            PrintWriter stderr) {
        ProgressBar reading = ProgressBar.onStderr(stderr, "reading");
        Map<String, IngestOutcome> outcomes = new HashMap<>();
        pipeline.ingest(new FileIngest.Options(100, false, List.of(), null), outcome -> { }, ingest -> {
            for (String callId : callIds) {
                LabelledItem item = byCall.get(callId);
                outcomes.put(callId, ingest.ingestExcerpt(item.audio(), callId, item.startSeconds(), item.endSeconds()));
                reading.show((double) outcomes.size() / callIds.size(), outcomes.size() + "/" + callIds.size() + " clips read");
            }
            return outcomes;
        });
        reading.finish(callIds.size() + " clips read into Kafka");
        for (String callId : callIds) {
            if (outcomes.get(callId) instanceof IngestOutcome.Rejected rejected) {
                stderr.printf("rejected: line %d, %s: %s%n", byCall.get(callId).line(), rejected.input(), rejected.reason());
            }
        }
        return outcomes;
    }

    /** The bar while the job runs: the share of the audio analysed, and the clips with results so far. */
    private static Consumer<Collection<EmotionEvent>> progressOf(ProgressBar bar, Map<String, Double> secondsByCall, int clips) {
        double totalSeconds = secondsByCall.values().stream().mapToDouble(Double::doubleValue).sum();
        return events -> {
            Map<String, Double> reached = new HashMap<>();
            events.forEach(event -> reached.merge(event.getCallId(), event.getEndMs() / 1000.0, Math::max));
            double done = reached.entrySet().stream()
                    .mapToDouble(e -> Math.min(e.getValue(), secondsByCall.getOrDefault(e.getKey(), 0.0))).sum();
            bar.show(totalSeconds == 0 ? 0 : done / totalSeconds, String.format(Locale.ROOT,
                    "%d/%d clips with results, %.0f of %.0f s of audio", reached.size(), clips, done, totalSeconds));
        };
    }

    /**
     * A clip's prediction from its utterances. One whose emotion a policy withheld has none to give, so it is left
     * out; a clip with nothing else has no prediction and counts as a miss, as a clip without speech does.
     */
    static ItemPrediction prediction(List<String> labels, List<EmotionEvent> events, ScoreMapping mapping) {
        List<EmotionEvent> analysed = events.stream().filter(event -> event.getEmotionWithheld() == null).toList();
        if (analysed.isEmpty() && !events.isEmpty()) {
            return ItemPrediction.none(AnalysisOptions.WITHHELD);
        }
        return ItemPrediction.of(labels, analysed.stream().sorted(IN_STREAM_ORDER).map(event -> utterance(event, mapping)).toList());
    }

    /**
     * One event in the evaluation's labels. A SpeechLM's label comes without probabilities, so where it answered, its
     * label counts as certain; the grounding check is the one the job ran, repeated here to count the claims.
     */
    private static UtteranceResult utterance(EmotionEvent event, ScoreMapping mapping) {
        boolean speechLmLabel = event.getSpeechLm() != null && event.getSpeechLm().getStatus() == SpeechLmStatus.ANSWERED;
        Map<String, Double> scores = speechLmLabel ? mapping.label(event.getLabel()) : mapping.scores(event.getScores());
        GroundingCheck.Result check = GroundingCheck.check(event.getRationale(), EventBuilder.cueReadings(event));
        return new UtteranceResult(event.getStartMs(), event.getEndMs(), scores, event.getArousal(), event.getValence(),
                Grounding.ofUtterance(check.claims().size(), check.contradictions().size()));
    }

    /** What the model is, said plainly in every report; above all that the embedded default is not a trained classifier. */
    static String modelStatement(String emotionModel) {
        EmotionModels.Spec parsed = EmotionModels.parse(emotionModel);
        String statement;
        if (EmotionModels.DEFAULT.equals(parsed.local())) {
            statement = "The embedded default, " + CueEstimator.ID + ", is a transparent estimator built on published"
                    + " acoustic correlates of emotion (pitch, loudness, speaking rate, pitch range and spectral tilt"
                    + " against the speaker's usual, and the words when there is a transcript), not a trained classifier:"
                    + " no emotion-labelled speech or speech-emotion weights were available to build or tune it. Its"
                    + " accuracy on real emotional speech is unknown until a run like this one is made on a corpus such as"
                    + " MSP-Podcast, IEMOCAP or MELD; the figures here describe this set and nothing else.";
        } else {
            statement = "The model is " + parsed.local() + ", described by its own model card; emostream makes no claim"
                    + " about its accuracy beyond the figures here.";
        }
        if (parsed.speechLm() != null) {
            statement += " Where the SpeechLM answered, the label is its answer (counted as certain) and the scores,"
                    + " arousal and valence are the local model's.";
        }
        return statement;
    }

    private String commandLine() {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals(spec.name())) {
            args.remove(0);
        }
        return "bin/emotion " + spec.name() + (args.isEmpty() ? "" : " ") + args.stream()
                .map(arg -> arg.matches("[\\w@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    private void printSummary(PrintWriter stdout, Evaluation evaluation, ManifestReader.Manifest clips) {
        stdout.printf(Locale.ROOT, "%d of %d clips evaluated on %s (%d excluded, %d without a prediction).%n",
                evaluation.items().size(), clips.rows(), evaluation.labels().name(), clips.excluded().size(),
                evaluation.unpredicted().size());
        stdout.printf("majority:        accuracy %s, macro-F1 %s, balanced accuracy %s%n", figure(evaluation.majority().accuracy()),
                figure(evaluation.majority().macroF1()), figure(evaluation.majority().balancedAccuracy()));
        stdout.printf("annotator-aware: accuracy %s, macro-F1 %s%n", figure(evaluation.annotatorAware().accuracy()),
                figure(evaluation.annotatorAware().macroF1()));
        stdout.printf("CCC arousal %s, valence %s; ECE %s; rationale grounding %s%n", figure(evaluation.arousal().ccc()),
                figure(evaluation.valence().ccc()), figure(evaluation.calibration().expectedError()),
                figure(evaluation.grounding().rate()));
        stdout.printf("Report written to %s (also %s, %s, %s).%n", out.resolve(EvaluationReport.MARKDOWN),
                EvaluationReport.CONFUSION, EvaluationReport.METRICS, EvaluationReport.PREDICTIONS);
    }

    /** An option's value read by a parser; its one-sentence complaint becomes bad usage naming the option. */
    private <T> T option(String name, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), name + ": " + e.getMessage() + ".");
        }
    }
}
