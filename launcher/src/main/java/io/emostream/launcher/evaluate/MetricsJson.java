package io.emostream.launcher.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/** {@code metrics.json}: every figure of the report, for scripts; a figure that is undefined (0 / 0) is null. */
final class MetricsJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MetricsJson() {
    }

    static void write(Path file, ReportContext context, Evaluation evaluation) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("date", context.date().toString());
        root.put("command", context.command());
        root.put("model", context.model());
        context.modelIds().forEach(root.putArray("modelIds")::add);
        root.put("modelStatement", context.modelStatement());
        ObjectNode labelSet = root.putObject("labelSet");
        labelSet.put("name", evaluation.labels().name());
        evaluation.labels().labels().forEach(labelSet.putArray("labels")::add);
        labelSet.put("scoreMapping", context.scoreMapping());
        labelSet.put("referenceLabels", context.labelMap());

        ObjectNode clips = root.putObject("clips");
        clips.put("manifest", context.manifest().file().toString());
        clips.put("listed", context.manifest().rows());
        clips.put("evaluated", evaluation.items().size());
        clips.put("excluded", context.manifest().excluded().size());
        clips.put("withoutPrediction", evaluation.unpredicted().size());
        clips.put("unreadable", context.rejected());

        ConfusionMatrix majority = evaluation.majority();
        ObjectNode scores = root.putObject("majority");
        scores.put("items", majority.total());
        scores.put("correct", majority.correct());
        number(scores, "accuracy", majority.accuracy());
        number(scores, "macroF1", majority.macroF1());
        number(scores, "balancedAccuracy", majority.balancedAccuracy());
        majority.supportedLabels().forEach(scores.putArray("averagedOver")::add);

        ConfusionMatrix any = evaluation.annotatorAware();
        ObjectNode aware = root.putObject("annotatorAware");
        aware.put("items", any.total());
        aware.put("correct", any.correct());
        number(aware, "accuracy", any.accuracy());
        number(aware, "macroF1", any.macroF1());
        any.supportedLabels().forEach(aware.putArray("averagedOver")::add);

        ArrayNode perClass = root.putArray("perClass");
        for (ConfusionMatrix.ClassScores c : majority.perClass()) {
            ObjectNode row = perClass.addObject();
            row.put("label", c.label());
            row.put("support", c.support());
            row.put("predicted", c.predicted());
            row.put("truePositives", c.truePositives());
            number(row, "precision", c.precision());
            number(row, "recall", c.recall());
            number(row, "f1", c.f1());
        }

        ObjectNode confusion = root.putObject("confusion");
        evaluation.labels().labels().forEach(confusion.putArray("references")::add);
        ArrayNode columns = confusion.putArray("predictions");
        evaluation.labels().labels().forEach(columns::add);
        columns.add("none");
        ArrayNode counts = confusion.putArray("counts");
        for (String reference : evaluation.labels().labels()) {
            ArrayNode row = counts.addArray();
            evaluation.labels().labels().forEach(prediction -> row.add(majority.count(reference, prediction)));
            row.add(majority.count(reference, null));
        }

        ObjectNode dimensions = root.putObject("dimensions");
        dimensions.put("scale", context.scale().toString());
        agreement(dimensions.putObject("arousal"), evaluation.arousal());
        agreement(dimensions.putObject("valence"), evaluation.valence());

        ObjectNode calibration = root.putObject("calibration");
        number(calibration, "expectedCalibrationError", evaluation.calibration().expectedError());
        calibration.put("items", evaluation.calibration().items());
        ArrayNode bins = calibration.putArray("bins");
        for (Calibration.Bin bin : evaluation.calibration().bins()) {
            ObjectNode b = bins.addObject();
            b.put("lower", bin.lower());
            b.put("upper", bin.upper());
            b.put("count", bin.count());
            number(b, "meanConfidence", bin.meanConfidence());
            number(b, "accuracy", bin.accuracy());
        }

        Grounding grounding = evaluation.grounding();
        ObjectNode rationale = root.putObject("grounding");
        rationale.put("utterances", grounding.utterances());
        rationale.put("claims", grounding.claims());
        rationale.put("supportedClaims", grounding.supportedClaims());
        number(rationale, "rate", grounding.rate());
        rationale.put("utterancesWithContradiction", grounding.utterancesWithContradiction());
        number(rationale, "contradictionShare", grounding.contradictionShare());

        JSON.writeValue(file.toFile(), root);
    }

    private static void agreement(ObjectNode node, Evaluation.Agreement agreement) {
        number(node, "ccc", agreement.ccc());
        node.put("items", agreement.items());
        node.put("estimatesVary", agreement.estimatesVary());
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
