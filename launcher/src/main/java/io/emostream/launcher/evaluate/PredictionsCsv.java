package io.emostream.launcher.evaluate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code predictions.csv}: one line per evaluated clip with its references, the prediction and its scores, arousal
 * and valence beside the references (on −1 to 1), and its rationales' grounding, so that every figure of the report
 * can be recomputed. Numbers are written in full precision; a missing one is an empty field.
 */
final class PredictionsCsv {
    private PredictionsCsv() {
    }

    static void write(Path file, Evaluation evaluation) throws IOException {
        List<String> header = new ArrayList<>(List.of("id", "audio", "start", "end", "majority", "annotators", "prediction",
                "correct", "correct_any_annotator", "confidence"));
        evaluation.labels().labels().forEach(label -> header.add("score_" + label));
        header.addAll(List.of("utterances", "speech_seconds", "arousal", "valence", "reference_arousal",
                "reference_valence", "reference_dominance", "claims", "supported_claims", "utterances_with_contradiction",
                "note"));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            line(out, header);
            for (ScoredItem scored : evaluation.items()) {
                LabelledItem item = scored.item();
                ItemPrediction prediction = scored.prediction();
                List<String> fields = new ArrayList<>(List.of(item.id(), item.audio().toString(),
                        item.segment() ? number(item.startSeconds()) : "", item.segment() ? number(item.endSeconds()) : "",
                        item.majority(), String.join(";", item.annotators()),
                        prediction.present() ? prediction.label() : "", Boolean.toString(scored.correct()),
                        Boolean.toString(scored.correctForAnyAnnotator()), number(prediction.confidence())));
                evaluation.labels().labels().forEach(label -> fields.add(prediction.present()
                        ? number(prediction.scores().get(label)) : ""));
                fields.addAll(List.of(Integer.toString(prediction.utterances()), number(prediction.speechSeconds()),
                        number(prediction.arousal()), number(prediction.valence()), number(item.arousal()),
                        number(item.valence()), number(item.dominance()), Long.toString(prediction.grounding().claims()),
                        Long.toString(prediction.grounding().supportedClaims()),
                        Long.toString(prediction.grounding().utterancesWithContradiction()), prediction.note()));
                line(out, fields);
            }
        }
    }

    private static void line(Writer out, List<String> fields) throws IOException {
        for (int f = 0; f < fields.size(); f++) {
            if (f > 0) {
                out.write(',');
            }
            out.write(Csv.field(fields.get(f)));
        }
        out.write('\n');
    }

    /** Full precision, so that sums over the file equal the report's; empty for a missing or undefined number. */
    private static String number(Double value) {
        return value == null || !Double.isFinite(value) ? "" : Double.toString(value);
    }
}
