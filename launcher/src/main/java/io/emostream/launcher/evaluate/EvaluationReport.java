package io.emostream.launcher.evaluate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes an evaluation into a folder: {@code report.md} (every figure with its counts, the per-class table, the
 * confusion matrix, how it was run), {@code confusion.svg}, {@code metrics.json} and {@code predictions.csv}.
 */
public final class EvaluationReport {
    public static final String MARKDOWN = "report.md";
    public static final String CONFUSION = "confusion.svg";
    public static final String METRICS = "metrics.json";
    public static final String PREDICTIONS = "predictions.csv";
    /** How many clips without a prediction, or excluded, the report lists by name; all are in the files. */
    private static final int LISTED = 20;

    private EvaluationReport() {
    }

    public static void write(Path folder, ReportContext context, Evaluation evaluation) throws IOException {
        Files.createDirectories(folder);
        ConfusionSvg.write(folder.resolve(CONFUSION), evaluation.majority(), "Confusion matrix: " + title(context, evaluation));
        MetricsJson.write(folder.resolve(METRICS), context, evaluation);
        PredictionsCsv.write(folder.resolve(PREDICTIONS), evaluation);
        Files.writeString(folder.resolve(MARKDOWN), markdown(context, evaluation), StandardCharsets.UTF_8);
    }

    private static String title(ReportContext context, Evaluation evaluation) {
        return context.model() + " on " + context.manifest().file().getFileName() + " (" + evaluation.labels().name() + ")";
    }

    static String markdown(ReportContext context, Evaluation evaluation) {
        StringBuilder md = new StringBuilder();
        ConfusionMatrix majority = evaluation.majority();
        ConfusionMatrix aware = evaluation.annotatorAware();
        ManifestReader.Manifest manifest = context.manifest();
        md.append("# Evaluation: ").append(title(context, evaluation)).append("\n\n");
        md.append("- Date: ").append(context.date()).append('\n');
        md.append("- Command: `").append(context.command()).append("`\n");
        md.append("- Model: `").append(context.model()).append("`; the events name ")
                .append(context.modelIds().isEmpty() ? "no model (no utterance was found)"
                        : context.modelIds().stream().map(id -> "`" + id + "`").collect(Collectors.joining(", ")))
                .append('\n');
        md.append("- Label set: ").append(evaluation.labels().describe()).append("; scores: ").append(context.scoreMapping())
                .append('\n');
        md.append("- Reference labels: read with ").append(context.labelMap()).append('\n');
        md.append(String.format(Locale.ROOT, "- Clips: %d listed in `%s`, %d evaluated, %d excluded, %d without a"
                + " prediction (counted as misses)%s%n", manifest.rows(), manifest.file(), evaluation.items().size(),
                manifest.excluded().size(), evaluation.unpredicted().size(),
                context.rejected() > 0 ? ", " + context.rejected() + " of them unreadable" : ""));
        md.append("\n**About the model.** ").append(context.modelStatement()).append("\n\n");

        md.append("## Scores\n\n| Metric | Value | Counts |\n|---|---:|---|\n");
        row(md, "Accuracy (majority label)", majority.accuracy(), majority.correct() + " of " + majority.total() + " clips right");
        row(md, "Macro-F1 (majority label)", majority.macroF1(), "mean F1 over the " + majority.supportedLabels().size()
                + " classes the references contain");
        row(md, "Unweighted (balanced) accuracy", majority.balancedAccuracy(), "mean recall over the "
                + majority.supportedLabels().size() + " classes the references contain");
        row(md, "Accuracy (annotator-aware)", aware.accuracy(), aware.correct() + " of " + aware.total()
                + " clips match some annotator's label");
        row(md, "Macro-F1 (annotator-aware)", aware.macroF1(), "mean F1 over " + aware.supportedLabels().size()
                + " classes; reference = the prediction when an annotator gave it, else the majority label");
        String scale = context.scale().equals(DimensionScale.MODEL) ? "references on −1 to 1"
                : "references rescaled from " + context.scale() + " to −1 to 1";
        dimension(md, "Arousal", evaluation.arousal(), scale);
        dimension(md, "Valence", evaluation.valence(), scale);
        row(md, "Expected calibration error", evaluation.calibration().expectedError(), evaluation.calibration().items()
                + " predictions in " + evaluation.calibration().bins().size() + " equal-width confidence bins (lower is better)");
        Grounding grounding = evaluation.grounding();
        row(md, "Rationale grounding rate", grounding.rate(), grounding.claims() == 0 ? "no rationale made a prosody claim"
                : grounding.supportedClaims() + " of " + grounding.claims() + " claims supported by the measured cues, in "
                + grounding.utterances() + " utterances");
        row(md, "Utterances with a contradicted claim", grounding.contradictionShare(),
                grounding.utterancesWithContradiction() + " of " + grounding.utterances());
        md.append("\nA value of n/a is undefined (0 / 0): no clip or claim to compute it from.\n");

        md.append("\n## Per class (majority labels)\n\n| Label | Support | Predicted | Precision | Recall | F1 |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (ConfusionMatrix.ClassScores c : majority.perClass()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s |%n", c.label(), c.support(), c.predicted(),
                    figure(c.precision()), figure(c.recall()), figure(c.f1())));
        }
        md.append("\nClasses with no support are listed but left out of the macro averages.\n");

        md.append("\n## Confusion matrix\n\n![Confusion matrix](").append(CONFUSION).append(")\n\n");
        List<String> labels = evaluation.labels().labels();
        md.append("| reference \\ prediction | ").append(String.join(" | ", labels)).append(" | none |\n");
        md.append("|---|").append("---:|".repeat(labels.size() + 1)).append('\n');
        for (String reference : labels) {
            md.append("| ").append(reference).append(" | ");
            for (String prediction : labels) {
                md.append(majority.count(reference, prediction)).append(" | ");
            }
            md.append(majority.count(reference, null)).append(" |\n");
        }

        md.append("\n## Calibration\n\n| Confidence | Predictions | Mean confidence | Accuracy |\n|---|---:|---:|---:|\n");
        for (Calibration.Bin bin : evaluation.calibration().bins()) {
            md.append(String.format(Locale.ROOT, "| %.1f–%.1f | %d | %s | %s |%n", bin.lower(), bin.upper(), bin.count(),
                    figure(bin.meanConfidence()), figure(bin.accuracy())));
        }

        List<ScoredItem> unpredicted = evaluation.unpredicted();
        if (!unpredicted.isEmpty()) {
            md.append("\n## Clips without a prediction\n\nCounted as misses of their majority class.\n\n");
            unpredicted.stream().limit(LISTED).forEach(s -> md.append("- `").append(s.item().id()).append("` (line ")
                    .append(s.item().line()).append("): ").append(s.prediction().note()).append('\n'));
            more(md, unpredicted.size(), " (see " + PREDICTIONS + ")");
        }
        if (!manifest.excluded().isEmpty()) {
            md.append("\n## Excluded clips\n\n");
            Map<ManifestReader.Exclusion.Why, Long> reasons = manifest.excluded().stream()
                    .collect(Collectors.groupingBy(ManifestReader.Exclusion::why, TreeMap::new, Collectors.counting()));
            reasons.forEach((why, count) -> md.append("- ").append(count).append(why == ManifestReader.Exclusion.Why.NO_MAJORITY
                    ? " with tied annotators, so no majority label" : " whose majority label has no place in "
                    + evaluation.labels().name()).append('\n'));
            md.append('\n');
            manifest.excluded().stream().limit(LISTED).forEach(e -> md.append("- `").append(e.id()).append("` (line ")
                    .append(e.line()).append("): ").append(e.reason()).append('\n'));
            more(md, manifest.excluded().size(), "");
        }

        md.append("\n## Files\n\n- `").append(PREDICTIONS).append("`: every clip with its references, prediction,"
                + " scores, arousal and valence and its rationales' grounding.\n- `").append(METRICS)
                .append("`: the figures above.\n- `").append(CONFUSION).append("`: the confusion matrix.\n\n")
                .append("The metrics are defined in emostream's docs/evaluation.md.\n");
        return md.toString();
    }

    private static void dimension(StringBuilder md, String name, Evaluation.Agreement agreement, String scale) {
        String counts = agreement.items() == 0 ? "no clip has a " + name.toLowerCase(Locale.ROOT) + " label and an estimate"
                : agreement.items() + " clips; " + scale + (agreement.estimatesVary() ? ""
                : "; the model gave every clip the same " + name.toLowerCase(Locale.ROOT) + ", so there is no agreement to measure");
        row(md, name + " CCC", agreement.ccc(), counts);
    }

    private static void row(StringBuilder md, String metric, double value, String counts) {
        md.append("| ").append(metric).append(" | ").append(figure(value)).append(" | ").append(counts).append(" |\n");
    }

    private static void more(StringBuilder md, int total, String where) {
        if (total > LISTED) {
            md.append("- … and ").append(total - LISTED).append(" more").append(where).append('\n');
        }
    }

    /** Three decimals (a rounding error below zero shows as 0.000, not −0.000), or n/a for an undefined figure. */
    public static String figure(double value) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        String figure = String.format(Locale.ROOT, "%.3f", value);
        return figure.equals("-0.000") ? "0.000" : figure;
    }
}
