package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.testkit.TinySerModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * bin/emotion evaluate as a user runs it: the real pipeline over a small labelled set built from the bundled clips.
 * The clips are synthetic flite speech and the labels are assigned here to exercise the harness; they say nothing
 * about the emotion in the clips, and nothing here measures the embedded model's accuracy.
 */
@Timeout(300)
class EvaluateCommandTest {
    private static final Path FIXTURES = Path.of(System.getProperty("emostream.fixtures"));
    /** MSP-Podcast's eight, in the default set's order. */
    private static final List<String> DEFAULT_LABELS = List.of("neutral", "happy", "sad", "angry", "surprised", "fearful",
            "disgusted", "contemptuous");

    /**
     * An ONNX model whose scores do not depend on the audio (zero weights, so the logits are the biases): every
     * utterance gets neutral 0.1, happy 0.4, sad, angry, surprised and fearful 0.1 each, disgusted and contemptuous
     * 0.05 each. In iemocap4 that is neutral, happy, sad, angry = 0.1, 0.4, 0.1, 0.1 over the 0.7 kept: happy 4/7.
     */
    @Test
    void pinnedPredictionsGiveTheFiguresComputedByHand(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("pinned"));
        double[] p = {0.1, 0.4, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05};
        float[] bias = new float[p.length];
        for (int l = 0; l < p.length; l++) {
            bias[l] = (float) Math.log(p[l]);
        }
        TinySerModel.write(model.resolve("model.onnx"), new float[p.length], bias, "attention_mask", false);
        Files.writeString(model.resolve("model-card.json"), "{\"name\": \"pinned\", \"file\": \"model.onnx\","
                + " \"input\": {\"name\": \"waveform\", \"mask\": \"attention_mask\"}, \"output\": {\"name\": \"logits\"},"
                + " \"labels\": [\"" + String.join("\", \"", DEFAULT_LABELS) + "\"]}");
        Path silence = Files.write(dir.resolve("silence.wav"), wav16k(new byte[2 * 32_000]));
        // IEMOCAP's codes through the iemocap preset; dimensions on IEMOCAP's 1–5 scale.
        Path manifest = Files.writeString(dir.resolve("set.csv"), String.join("\n",
                "id,audio,annotators,majority,arousal,valence,start,end",
                "podcast," + FIXTURES.resolve("podcast-mono-16k.wav") + ",neu;hap;neu,,2,3,,",
                "song," + FIXTURES.resolve("speech-48k-mono-s24.wav") + ",hap;exc;neu,,3,3,,",
                "hold," + FIXTURES.resolve("speech-22k05-mono-f32.wav") + ",sad;hap,sad,4,2,,",
                "escalation," + demo("call-escalating.wav") + ",ang;fru;ang,ang,5,4,20,37",
                "calm," + demo("call-calm.wav") + ",neu;neu,neu,,,0,8",
                "silence,silence.wav,sad,sad,,,,",
                "frustrated," + FIXTURES.resolve("pipe-espeak-22k.wav") + ",fru;fru,fru,,,,") + "\n");
        Path out = dir.resolve("report");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();

        int status = run(stdout, stderr, "evaluate", "--manifest", manifest.toString(), "--label-set", "iemocap4",
                "--label-map", "iemocap", "--model", "onnx:" + model, "--dimension-scale", "1:5", "--out", out.toString());

        assertThat(status).as(stderr.toString()).isZero();
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        // 7 listed; "frustrated" is left out (fru has no place in iemocap4); 6 evaluated; the silent one has no prediction.
        assertThat(metrics.at("/clips/listed").asInt()).isEqualTo(7);
        assertThat(metrics.at("/clips/excluded").asInt()).isEqualTo(1);
        assertThat(metrics.at("/clips/evaluated").asInt()).isEqualTo(6);
        assertThat(metrics.at("/clips/withoutPrediction").asInt()).isEqualTo(1);
        assertThat(metrics.at("/modelIds/0").asText()).matches("onnx:pinned@sha256:[0-9a-f]{12}");

        // Majority labels: neutral, happy, sad, angry, neutral, sad; predictions: happy ×5 and none.
        // Right: "song" only, 1 of 6. happy: TP 1, predicted 5: P = 1/5, R = 1, F1 = (2/5) / (6/5) = 1/3; the other
        // three classes have F1 0: macro-F1 = (1/3) / 4 = 1/12. Recalls 0, 1, 0, 0: balanced accuracy 1/4.
        assertThat(metrics.at("/majority/accuracy").asDouble()).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(metrics.at("/majority/macroF1").asDouble()).isCloseTo(1.0 / 12, within(1e-12));
        assertThat(metrics.at("/majority/balancedAccuracy").asDouble()).isCloseTo(0.25, within(1e-12));
        // Annotator-aware: some annotator said happy for podcast, song and hold (hap, exc→happy); not for escalation
        // (ang, fru left out) or calm. References: happy, happy, happy, angry, neutral, sad. Right: 3 of 6.
        // happy: TP 3, predicted 5: P = 3/5, R = 1, F1 = (6/5) / (8/5) = 3/4; angry, neutral, sad 0: macro-F1 = 3/16.
        assertThat(metrics.at("/annotatorAware/accuracy").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(metrics.at("/annotatorAware/macroF1").asDouble()).isCloseTo(3.0 / 16, within(1e-12));
        // Five predictions, all at confidence 4/7 in the bin (0.5, 0.6], one right: ECE = |1/5 − 4/7| = 13/35.
        assertThat(metrics.at("/calibration/expectedCalibrationError").asDouble()).isCloseTo(13.0 / 35, within(1e-6));
        assertThat(metrics.at("/calibration/bins/5/count").asInt()).isEqualTo(5);
        // The predicted arousal is the same for every clip, so it does not co-vary with the references: CCC 0, over the
        // four clips with both.
        assertThat(metrics.at("/dimensions/arousal/ccc").asDouble()).isCloseTo(0, within(1e-9));
        assertThat(metrics.at("/dimensions/arousal/items").asInt()).isEqualTo(4);
        assertThat(metrics.at("/dimensions/arousal/estimatesVary").asBoolean()).isFalse();
        assertThat(metrics.at("/dimensions/scale").asText()).isEqualTo("1:5");
        assertThat(metrics.at("/confusion/counts/2/4").asInt()).as("sad clips without a prediction").isEqualTo(1);

        List<Map<String, String>> rows = csv(out.resolve("predictions.csv"));
        assertThat(rows).extracting(r -> r.get("id")).containsExactly("podcast", "song", "hold", "escalation", "calm", "silence");
        assertThat(rows).extracting(r -> r.get("prediction")).containsExactly("happy", "happy", "happy", "happy", "happy", "");
        assertThat(rows.subList(0, 5)).allSatisfy(row -> {
            assertThat(Double.parseDouble(row.get("score_happy"))).isCloseTo(4.0 / 7, within(1e-6));
            assertThat(Double.parseDouble(row.get("score_neutral"))).isCloseTo(1.0 / 7, within(1e-6));
            assertThat(Integer.parseInt(row.get("utterances"))).isPositive();
        });
        assertThat(rows.get(3).get("start")).isEqualTo("20.0");
        assertThat(rows.get(3).get("reference_arousal")).isEqualTo("1.0");
        assertThat(rows.get(5).get("note")).isEqualTo("no speech was found in the clip");
        assertThat(Files.readString(out.resolve("report.md")))
                .contains("| Accuracy (annotator-aware) | 0.500 | 3 of 6 clips match some annotator's label |")
                .contains("| Macro-F1 (majority label) | 0.083 |")
                .contains("The model is onnx:" + model)
                .contains("| Arousal CCC | 0.000 | 4 clips; references rescaled from 1:5 to −1 to 1; the model gave every clip"
                        + " the same arousal, so there is no agreement to measure |")
                .contains("- `silence` (line 7): no speech was found in the clip")
                .contains("- `frustrated` (line 8): its majority label 'fru' has no place in iemocap4");
        assertThat(stdout.toString()).contains("6 of 7 clips evaluated on iemocap4 (1 excluded, 1 without a prediction).")
                .contains("annotator-aware: accuracy 0.500, macro-F1 0.18");
    }

    /**
     * The embedded default on the MSP-Podcast set (its letter codes, 1–7 dimensions): whatever it predicts, the
     * figures in metrics.json must be what predictions.csv gives under the definitions, recomputed here on their own.
     */
    @Test
    void theReportedFiguresFollowFromThePredictionsFile(@TempDir Path dir) throws Exception {
        Path manifest = Files.writeString(dir.resolve("set.jsonl"), String.join("\n",
                line("podcast", FIXTURES.resolve("podcast-mono-16k.wav"), "[\"N\", \"H\", \"N\"]", null, 4, 5, null, null),
                line("hold", FIXTURES.resolve("speech-44k1-stereo-s16.wav"), "[\"A\", \"A\", \"S\"]", "A", 6, 2, null, null),
                line("slt", FIXTURES.resolve("speech-22k05-mono-f32.wav"), "[\"S\", \"S\", \"N\"]", "S", 2, 3, null, null),
                line("call", FIXTURES.resolve("call-stereo-8k-mulaw.wav"), "[\"H\", \"N\"]", "H", 3.5, 4.5, null, null),
                line("escalation", demo("call-escalating.wav"), "[\"A\", \"A\", \"D\"]", "A", 6.5, 1.5, 25.0, 37.0),
                line("robots", demo("podcast-excerpt.wav"), "[\"H\", \"H\", \"U\"]", "H", 5, 6, 0.0, 10.0),
                line("address", demo("call-calm.wav"), "[\"N\", \"N\", \"N\"]", null, 3, 4, 8.0, 20.0),
                line("garbage", FIXTURES.resolve("bad-garbage.wav"), "[\"S\"]", "S", 2, 2, null, null)) + "\n");
        Path out = dir.resolve("report");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();

        int status = run(stdout, stderr, "evaluate", "--manifest", manifest.toString(), "--label-map", "msp-podcast",
                "--dimension-scale", "1:7", "--out", out.toString());

        // The text file posing as a WAV is a miss, named with its line; the others are evaluated all the same.
        assertThat(status).as(stderr.toString()).isEqualTo(1);
        assertThat(stderr.toString()).contains("reading [").contains("analysing [").contains("clips analysed")
                .contains("rejected: line 8, " + FIXTURES.resolve("bad-garbage.wav") + ": is a text file")
                .contains("1 clip could not be read (see above); counted as misses.").doesNotContain("\tat ");
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.at("/clips/unreadable").asInt()).isEqualTo(1);
        List<Map<String, String>> rows = csv(out.resolve("predictions.csv"));
        assertThat(rows).hasSize(8);
        assertThat(rows.get(7).get("prediction")).isEmpty();
        assertThat(rows.get(7).get("note")).startsWith("the audio cannot be read: is a text file");
        assertThat(metrics.at("/modelIds/0").asText()).isEqualTo("cue-estimator/1");
        assertThat(metrics.at("/labelSet/name").asText()).isEqualTo("msp-podcast");

        List<String> labels = List.of("neutral", "happy", "sad", "angry", "surprised", "fearful", "disgusted", "contemptuous");
        List<String> majority = rows.stream().map(r -> r.get("majority")).toList();
        List<String> predicted = rows.stream().map(r -> r.get("prediction")).toList();
        List<String> aware = new ArrayList<>();
        for (Map<String, String> row : rows) {
            Set<String> given = new LinkedHashSet<>(Arrays.asList(row.get("annotators").split(";")));
            given.add(row.get("majority"));
            aware.add(given.contains(row.get("prediction")) ? row.get("prediction") : row.get("majority"));
        }
        assertThat(metrics.at("/majority/accuracy").asDouble()).isCloseTo(agreement(majority, predicted), within(1e-12));
        assertThat(metrics.at("/majority/macroF1").asDouble()).isCloseTo(macroF1(labels, majority, predicted), within(1e-12));
        assertThat(metrics.at("/majority/balancedAccuracy").asDouble())
                .isCloseTo(meanRecall(labels, majority, predicted), within(1e-12));
        assertThat(metrics.at("/annotatorAware/accuracy").asDouble()).isCloseTo(agreement(aware, predicted), within(1e-12));
        assertThat(metrics.at("/annotatorAware/macroF1").asDouble()).isCloseTo(macroF1(labels, aware, predicted), within(1e-12));
        assertThat(metrics.at("/dimensions/arousal/ccc").asDouble())
                .isCloseTo(ccc(rows, "reference_arousal", "arousal"), within(1e-9));
        assertThat(metrics.at("/dimensions/valence/ccc").asDouble())
                .isCloseTo(ccc(rows, "reference_valence", "valence"), within(1e-9));
        assertThat(metrics.at("/calibration/expectedCalibrationError").asDouble()).isCloseTo(ece(rows), within(1e-9));
        long claims = rows.stream().mapToLong(r -> Long.parseLong(r.get("claims"))).sum();
        long supported = rows.stream().mapToLong(r -> Long.parseLong(r.get("supported_claims"))).sum();
        long utterances = rows.stream().mapToLong(r -> Long.parseLong(r.get("utterances"))).sum();
        assertThat(utterances).isPositive();
        assertThat(metrics.at("/grounding/utterances").asLong()).isEqualTo(utterances);
        assertThat(metrics.at("/grounding/claims").asLong()).isEqualTo(claims);
        if (claims > 0) {
            assertThat(metrics.at("/grounding/rate").asDouble()).isCloseTo((double) supported / claims, within(1e-12));
        }
        // Every prediction's scores are a distribution over the eight labels, and its confidence their maximum.
        for (Map<String, String> row : rows.stream().filter(r -> !r.get("prediction").isEmpty()).toList()) {
            double sum = labels.stream().mapToDouble(l -> Double.parseDouble(row.get("score_" + l))).sum();
            double max = labels.stream().mapToDouble(l -> Double.parseDouble(row.get("score_" + l))).max().orElseThrow();
            assertThat(sum).isCloseTo(1, within(1e-9));
            assertThat(Double.parseDouble(row.get("confidence"))).isEqualTo(max);
            assertThat(Double.parseDouble(row.get("score_" + row.get("prediction")))).isEqualTo(max);
        }

        // The picture: one shaded cell per reference and prediction, the counts adding up to the clips.
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("confusion.svg").toFile());
        NodeList texts = svg.getElementsByTagName("text");
        long cellCounts = 0;
        for (int t = 0; t < texts.getLength(); t++) {
            if ("14".equals(texts.item(t).getAttributes().getNamedItem("font-size") == null ? null
                    : texts.item(t).getAttributes().getNamedItem("font-size").getNodeValue())) {
                cellCounts += Long.parseLong(texts.item(t).getTextContent());
            }
        }
        assertThat(cellCounts).isEqualTo(8);
        String report = Files.readString(out.resolve("report.md"));
        assertThat(report).contains("not a trained classifier").contains("accuracy on real emotional speech is unknown until")
                .contains("![Confusion matrix](confusion.svg)").contains("| Label | Support | Predicted | Precision | Recall | F1 |")
                .contains("`bin/emotion evaluate --manifest " + manifest + " --label-map msp-podcast --dimension-scale 1:7 --out "
                        + out + "`");
    }

    @Test
    void mistakesInTheManifestOrTheOptionsAreOneSentence(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.wav"), wav16k(new byte[3200]));
        Path unknown = Files.writeString(dir.resolve("unknown.csv"), "audio,annotators\na.wav,fru;ang\n");
        assertThat(failure(1, "evaluate", "--manifest", unknown.toString(), "--label-set", "iemocap4", "--out", dir.toString()))
                .isEqualTo("evaluate: The manifest " + unknown + " line 2: the label 'fru' is not in iemocap4 (neutral, happy,"
                        + " sad, angry); use --label-map iemocap (the corpus preset) or give --label-map FILE with a line such"
                        + " as 'fru = neutral' (or 'fru = -' to leave it out).\n");
        Path missing = Files.writeString(dir.resolve("missing.csv"), "audio,majority\nb.wav,sad\n");
        assertThat(failure(1, "evaluate", "--manifest", missing.toString(), "--out", dir.toString()))
                .startsWith("evaluate: The manifest " + missing + " line 2 names the audio file " + dir.resolve("b.wav"));
        Path empty = Files.writeString(dir.resolve("empty.csv"), "audio,majority\n");
        assertThat(failure(1, "evaluate", "--manifest", empty.toString(), "--out", dir.toString()))
                .isEqualTo("evaluate: The manifest " + empty + " lists no clips; add one line per labelled clip (see"
                        + " docs/evaluation.md).\n");

        assertThat(failure(2, "evaluate", "--manifest", empty.toString(), "--label-set", "ravdess"))
                .startsWith("evaluate: --label-set: unknown label set 'ravdess'; known: msp-podcast, iemocap4, emotionthinker9.\n");
        assertThat(failure(2, "evaluate", "--manifest", empty.toString(), "--dimension-scale", "7"))
                .startsWith("evaluate: --dimension-scale: '7' is not a scale LOW:HIGH such as 1:7 (MSP-Podcast) or 1:5 (IEMOCAP).\n");
        assertThat(failure(2, "evaluate", "--manifest", empty.toString(), "--label-map", dir.resolve("none.map").toString()))
                .startsWith("evaluate: --label-map: the label map " + dir.resolve("none.map") + " cannot be read");
        Path model = Files.createDirectories(dir.resolve("tiny"));
        TinySerModel.write(model.resolve("model.onnx"), new float[] {1f, -1f, 4f}, new float[3], null, false);
        Files.writeString(model.resolve("model-card.json"), "{\"file\": \"model.onnx\", \"input\": {\"name\": \"waveform\"},"
                + " \"labels\": [\"calm\", \"tense\", \"loud\"]}");
        assertThat(failure(2, "evaluate", "--manifest", empty.toString(), "--model", "onnx:" + model, "--label-set", "iemocap4"))
                .startsWith("evaluate: --label-set: the model's labels cannot be mapped to iemocap4 (neutral, happy, sad,"
                        + " angry): calm, tense, loud have no counterpart there; use --label-set calm,tense,loud");
    }

    private static String failure(int expectedStatus, String... args) {
        StringWriter stderr = new StringWriter();
        assertThat(run(new StringWriter(), stderr, args)).as(stderr.toString()).isEqualTo(expectedStatus);
        assertThat(stderr.toString()).doesNotContain("\tat ");
        return stderr.toString().replace(System.lineSeparator(), "\n");
    }

    private static int run(StringWriter stdout, StringWriter stderr, String... args) {
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        cli.setErr(new PrintWriter(stderr, true));
        return cli.execute(args);
    }

    private static Path demo(String name) throws Exception {
        return Path.of(EvaluateCommandTest.class.getResource("demo/" + name).toURI());
    }

    private static String line(String id, Path audio, String annotators, String majority, double arousal, double valence,
            Double start, Double end) {
        return "{\"id\": \"" + id + "\", \"audio\": \"" + audio + "\", \"annotators\": " + annotators
                + (majority == null ? "" : ", \"majority\": \"" + majority + "\"") + ", \"arousal\": " + arousal
                + ", \"valence\": " + valence + (start == null ? "" : ", \"start\": " + start + ", \"end\": " + end) + "}";
    }

    // The definitions of docs/evaluation.md, written again from the predictions file.

    private static double agreement(List<String> references, List<String> predicted) {
        int same = 0;
        for (int i = 0; i < references.size(); i++) {
            same += references.get(i).equals(predicted.get(i)) ? 1 : 0;
        }
        return (double) same / references.size();
    }

    /** F1 = 2 TP / (2 TP + FP + FN), averaged over the classes the references contain. */
    private static double macroF1(List<String> labels, List<String> references, List<String> predicted) {
        return labels.stream().filter(references::contains).mapToDouble(label -> {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < references.size(); i++) {
                boolean isLabel = references.get(i).equals(label);
                boolean saidLabel = predicted.get(i).equals(label);
                tp += isLabel && saidLabel ? 1 : 0;
                fp += !isLabel && saidLabel ? 1 : 0;
                fn += isLabel && !saidLabel ? 1 : 0;
            }
            return tp == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
        }).average().orElseThrow();
    }

    private static double meanRecall(List<String> labels, List<String> references, List<String> predicted) {
        return labels.stream().filter(references::contains).mapToDouble(label -> {
            int support = 0;
            int right = 0;
            for (int i = 0; i < references.size(); i++) {
                if (references.get(i).equals(label)) {
                    support++;
                    right += predicted.get(i).equals(label) ? 1 : 0;
                }
            }
            return (double) right / support;
        }).average().orElseThrow();
    }

    /** 2 ρ σx σy / (σx² + σy² + (μx − μy)²) over the clips with a reference and an estimate. */
    private static double ccc(List<Map<String, String>> rows, String referenceColumn, String predictionColumn) {
        List<Map<String, String>> both = rows.stream()
                .filter(r -> !r.get(referenceColumn).isEmpty() && !r.get(predictionColumn).isEmpty()).toList();
        double[] x = both.stream().mapToDouble(r -> Double.parseDouble(r.get(referenceColumn))).toArray();
        double[] y = both.stream().mapToDouble(r -> Double.parseDouble(r.get(predictionColumn))).toArray();
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sx = Math.sqrt(Arrays.stream(x).map(v -> (v - mx) * (v - mx)).average().orElseThrow());
        double sy = Math.sqrt(Arrays.stream(y).map(v -> (v - my) * (v - my)).average().orElseThrow());
        double covariance = 0;
        for (int i = 0; i < x.length; i++) {
            covariance += (x[i] - mx) * (y[i] - my) / x.length;
        }
        double rho = sx == 0 || sy == 0 ? 0 : covariance / (sx * sy);
        return 2 * rho * sx * sy / (sx * sx + sy * sy + (mx - my) * (mx - my));
    }

    /** Ten bins (k/10, (k+1)/10]: Σ (n_b / n) |accuracy_b − confidence_b|. */
    private static double ece(List<Map<String, String>> rows) {
        List<Map<String, String>> predicted = rows.stream().filter(r -> !r.get("prediction").isEmpty()).toList();
        double total = 0;
        for (int b = 0; b < 10; b++) {
            double lower = b / 10.0;
            double upper = (b + 1) / 10.0;
            int first = b;
            List<Map<String, String>> in = predicted.stream().filter(r -> {
                double c = Double.parseDouble(r.get("confidence"));
                return (c > lower || (first == 0 && c == 0)) && c <= upper;
            }).toList();
            if (in.isEmpty()) {
                continue;
            }
            double confidence = in.stream().mapToDouble(r -> Double.parseDouble(r.get("confidence"))).average().orElseThrow();
            double accuracy = in.stream().filter(r -> r.get("prediction").equals(r.get("majority"))).count() / (double) in.size();
            total += (double) in.size() / predicted.size() * Math.abs(accuracy - confidence);
        }
        return total;
    }

    /** The predictions file: one record per line, a field quoted when it holds a comma or a quote. */
    private static List<Map<String, String>> csv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        List<String> header = fields(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = fields(line);
            assertThat(fields).hasSameSizeAs(header);
            Map<String, String> row = new HashMap<>();
            for (int f = 0; f < header.size(); f++) {
                row.put(header.get(f), fields.get(f));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static byte[] wav16k(byte[] pcm) {
        ByteBuffer wav = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + pcm.length).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        wav.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(16_000).putInt(32_000).putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(pcm.length).put(pcm);
        return wav.array();
    }
}
