package io.emostream.launcher.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
    @TempDir
    Path dir;

    private final EvaluationLabels iemocap4 = EvaluationLabels.parse("iemocap4");

    @BeforeEach
    void audioFiles() throws IOException {
        // The reader only checks that the files are there; what they hold is the pipeline's business.
        for (String name : List.of("a.wav", "b.wav", "c.wav", "d.wav", "e.wav")) {
            Files.write(dir.resolve(name), new byte[] {1});
        }
    }

    @Test
    void readsQuotedCsvWithLabelsMappedAndScalesRescaled() throws IOException {
        Path csv = Files.writeString(dir.resolve("msp.csv"), String.join("\n",
                "ID,Audio,Annotators,Majority,Arousal,Valence,Notes,Start,End",
                "\"clip, one\",a.wav,H;N;H,H,4,1.5,\"she said \"\"hi\"\"\",,",
                "two,b.wav,U;U;N,U,,,,,",
                "three,c.wav,A;A;S,,7,1,\"a note",
                "over two lines\",1.5,4",
                "four,d.wav,S;U,,,,,,",
                "",
                "five,e.wav,,n,,,,,") + "\n");

        ManifestReader.Manifest manifest = ManifestReader.read(csv,
                new ReferenceLabels(iemocap4, LabelMap.parse("msp-podcast", iemocap4)), DimensionScale.parse("1:7"), null);

        assertThat(manifest.rows()).isEqualTo(5);
        assertThat(manifest.items()).extracting(LabelledItem::id).containsExactly("clip, one", "three", "five");
        LabelledItem one = manifest.items().get(0);
        assertThat(one.line()).isEqualTo(2);
        assertThat(one.audio()).isEqualTo(dir.resolve("a.wav"));
        assertThat(one.majority()).isEqualTo("happy");
        assertThat(one.annotators()).containsExactly("happy", "neutral", "happy");
        // 1–7 onto −1–1: 2 (x − 1) / 6 − 1. Arousal 4 → 0; valence 1.5 → 1/6 − 1 = −5/6.
        assertThat(one.arousal()).isCloseTo(0, within(1e-12));
        assertThat(one.valence()).isCloseTo(-5.0 / 6, within(1e-12));
        assertThat(one.dominance()).isNull();
        assertThat(one.segment()).isFalse();

        // No majority given: the annotators' plurality, angry (2 of 3). Its quoted note spans two lines.
        LabelledItem three = manifest.items().get(1);
        assertThat(three.line()).isEqualTo(4);
        assertThat(three.majority()).isEqualTo("angry");
        assertThat(three.annotators()).containsExactly("angry", "angry", "sad");
        assertThat(three.arousal()).isEqualTo(1.0);
        assertThat(three.valence()).isEqualTo(-1.0);
        assertThat(three.segment()).isTrue();
        assertThat(three.startSeconds()).isEqualTo(1.5);
        assertThat(three.endSeconds()).isEqualTo(4.0);

        LabelledItem five = manifest.items().get(2);
        assertThat(five.line()).isEqualTo(8);
        assertThat(five.majority()).isEqualTo("neutral");
        assertThat(five.annotators()).isEmpty();

        // U (surprise) has no counterpart in iemocap4; S;U is a tie between sad and the left-out surprise.
        assertThat(manifest.excluded()).containsExactly(
                new ManifestReader.Exclusion(3, "two", ManifestReader.Exclusion.Why.MAJORITY_LEFT_OUT,
                        "its majority label 'U' has no place in iemocap4"),
                new ManifestReader.Exclusion(6, "four", ManifestReader.Exclusion.Why.NO_MAJORITY,
                        "its annotators' labels tie (sad, u), so it has no majority label"));
    }

    @Test
    void readsJsonLinesWithListsAndNumbers() throws IOException {
        Path jsonl = Files.writeString(dir.resolve("iemocap.jsonl"), String.join("\n",
                "{\"audio\": \"a.wav\", \"annotators\": [\"exc\", \"hap\", \"neu\"], \"arousal\": 2.5, \"valence\": 5, \"speaker\": {\"id\": 3}}",
                "",
                "{\"id\": \"b\", \"audio\": \"b.wav\", \"majority\": \"Frustration\", \"annotators\": \"fru;ang\"}",
                "{\"audio\": \"c.wav\", \"majority\": \"sad\", \"start\": 0.5, \"end\": \"2\"}"));

        ManifestReader.Manifest manifest = ManifestReader.read(jsonl,
                new ReferenceLabels(iemocap4, LabelMap.parse("iemocap", iemocap4)), DimensionScale.parse("1:5"), null);

        assertThat(manifest.items()).hasSize(2);
        LabelledItem first = manifest.items().get(0);
        // exc and hap are both happy: 2 of 3.
        assertThat(first.majority()).isEqualTo("happy");
        assertThat(first.annotators()).containsExactly("happy", "happy", "neutral");
        // 1–5 onto −1–1: (x − 1) / 2 − 1. 2.5 → −0.25, 5 → 1.
        assertThat(first.arousal()).isCloseTo(-0.25, within(1e-12));
        assertThat(first.valence()).isEqualTo(1.0);
        assertThat(first.id()).isEqualTo("a.wav");
        LabelledItem third = manifest.items().get(1);
        assertThat(third.line()).isEqualTo(4);
        assertThat(third.id()).isEqualTo("c.wav#t=0.5,2");
        assertThat(third.endSeconds()).isEqualTo(2.0);
        assertThat(manifest.excluded()).extracting(ManifestReader.Exclusion::line).containsExactly(3);
    }

    @Test
    void anUnknownLabelNamesTheLineAndTheMappingToUse() throws IOException {
        Path csv = Files.writeString(dir.resolve("m.csv"), "audio,annotators\na.wav,neu;hap\nb.wav,fru;ang\n");

        assertThatThrownBy(() -> ManifestReader.read(csv, new ReferenceLabels(iemocap4, LabelMap.none()), DimensionScale.MODEL, null))
                .isInstanceOf(ManifestException.class)
                .hasMessage("The manifest " + csv + " line 2: the label 'neu' is not in iemocap4 (neutral, happy, sad, angry);"
                        + " use --label-map iemocap (the corpus preset) or give --label-map FILE with a line such as"
                        + " 'neu = neutral' (or 'neu = -' to leave it out).");

        Path map = Files.writeString(dir.resolve("labels.map"), "# our annotation tool's names\nneu = neutral\nhap=happy\n");
        assertThatThrownBy(() -> ManifestReader.read(csv, new ReferenceLabels(iemocap4, LabelMap.parse(map.toString(), iemocap4)),
                DimensionScale.MODEL, null))
                .hasMessage("The manifest " + csv + " line 3: the label 'fru' is not in iemocap4 (neutral, happy, sad, angry)"
                        + " and the label map " + map + " does not map it; use --label-map iemocap (the corpus preset) or give"
                        + " --label-map FILE with a line such as 'fru = neutral' (or 'fru = -' to leave it out).");
    }

    @Test
    void aMissingAudioFileNamesItsLineAndHowManyMoreAreMissing() throws IOException {
        Path csv = Files.writeString(dir.resolve("m.csv"), "audio,majority\na.wav,sad\nclips/x.wav,sad\nclips/y.wav,happy\n");

        assertThatThrownBy(() -> ManifestReader.read(csv, new ReferenceLabels(iemocap4, LabelMap.none()), DimensionScale.MODEL, null))
                .hasMessage("The manifest " + csv + " line 3 names the audio file " + dir.resolve("clips/x.wav") + ", which does"
                        + " not exist (nor do 1 more of the files it names); relative paths are read from " + dir
                        + ", so set --audio-root to the folder that holds the audio.");

        Path root = Files.createDirectories(dir.resolve("clips"));
        Files.write(root.resolve("x.wav"), new byte[] {1});
        Files.write(root.resolve("y.wav"), new byte[] {1});
        Files.write(root.resolve("a.wav"), new byte[] {1});
        assertThat(ManifestReader.read(csv, new ReferenceLabels(iemocap4, LabelMap.none()), DimensionScale.MODEL, dir)
                .items()).hasSize(3);
    }

    @Test
    void anEmptyManifestOrOneWithoutUsableColumnsIsOneSentence() throws IOException {
        ReferenceLabels labels = new ReferenceLabels(iemocap4, LabelMap.none());
        Path headerOnly = Files.writeString(dir.resolve("empty.csv"), "audio,majority\n\n");
        assertThatThrownBy(() -> ManifestReader.read(headerOnly, labels, DimensionScale.MODEL, null))
                .hasMessage("The manifest " + headerOnly + " lists no clips; add one line per labelled clip (see docs/evaluation.md).");
        Path nothing = Files.writeString(dir.resolve("nothing.jsonl"), "");
        assertThatThrownBy(() -> ManifestReader.read(nothing, labels, DimensionScale.MODEL, null))
                .hasMessageContaining("lists no clips");
        Path noAudio = Files.writeString(dir.resolve("wav.csv"), "wav,majority\na.wav,sad\n");
        assertThatThrownBy(() -> ManifestReader.read(noAudio, labels, DimensionScale.MODEL, null))
                .hasMessage("The manifest " + noAudio + " has no 'audio' column; its first line must name the columns,"
                        + " e.g. id,audio,annotators,majority.");
        Path missing = dir.resolve("missing.csv");
        assertThatThrownBy(() -> ManifestReader.read(missing, labels, DimensionScale.MODEL, null))
                .hasMessageStartingWith("The manifest " + missing + " does not exist;");
        Path tsv = Files.writeString(dir.resolve("m.tsv"), "audio\tmajority\n");
        assertThatThrownBy(() -> ManifestReader.read(tsv, labels, DimensionScale.MODEL, null))
                .hasMessageContaining("is neither .csv nor .jsonl");
    }

    @Test
    void badValuesAreNamedWithTheirLine() throws IOException {
        ReferenceLabels labels = new ReferenceLabels(iemocap4, LabelMap.none());
        assertThatThrownBy(() -> ManifestReader.read(Files.writeString(dir.resolve("a.csv"),
                "audio,majority,arousal\na.wav,sad,5.5\n"), labels, DimensionScale.MODEL, null))
                .hasMessageEndingWith("line 2: arousal 5.5 lies outside the scale -1:1 of --dimension-scale; give the scale the"
                        + " manifest's values use (MSP-Podcast 1:7, IEMOCAP 1:5).");
        assertThatThrownBy(() -> ManifestReader.read(Files.writeString(dir.resolve("b.csv"),
                "audio,majority,start,end\na.wav,sad,3,1\n"), labels, DimensionScale.MODEL, null))
                .hasMessageEndingWith("line 2: the segment from 3 s to 1 s does not run forwards; give start and end in"
                        + " seconds, start before end.");
        assertThatThrownBy(() -> ManifestReader.read(Files.writeString(dir.resolve("c.csv"),
                "id,audio,majority\nx,a.wav,sad\nx,b.wav,sad\n"), labels, DimensionScale.MODEL, null))
                .hasMessageEndingWith("line 3 has the id 'x', as line 2 has; give each clip its own id.");
        assertThatThrownBy(() -> ManifestReader.read(Files.writeString(dir.resolve("d.csv"),
                "audio,majority\n\"a.wav,sad\n"), labels, DimensionScale.MODEL, null))
                .hasMessageEndingWith("line 2 opens a quoted field that is never closed; end it with a double quote (a quote"
                        + " inside a field is written twice).");
        assertThatThrownBy(() -> ManifestReader.read(Files.writeString(dir.resolve("e.jsonl"),
                "{\"audio\": \"a.wav\", \"majority\": \"sad\"}\n{\"audio\": \"b.wav\",\n"), labels, DimensionScale.MODEL, null))
                .hasMessageStartingWith("The manifest " + dir.resolve("e.jsonl") + " line 2 is not valid JSON (");
        assertThatThrownBy(() -> ManifestReader.read(Files.writeString(dir.resolve("f.csv"),
                "audio,majority,annotators\na.wav,,\n"), labels, DimensionScale.MODEL, null))
                .hasMessageEndingWith("line 2 has no label; give the annotators' labels (separated by ';') or a majority label.");
        assertThatThrownBy(() -> ManifestReader.read(Files.writeString(dir.resolve("g.csv"),
                "audio,majority\na.wav,U\n"), new ReferenceLabels(iemocap4, LabelMap.parse("msp-podcast", iemocap4)),
                DimensionScale.MODEL, null))
                .hasMessageContaining("None of the 1 clips of " + dir.resolve("g.csv") + " has a majority label in iemocap4");
    }

    @Test
    void aLabelMapFileIsCheckedLineByLine() throws IOException {
        Path good = Files.writeString(dir.resolve("good.map"), "joyful = happy\nbored=-\nscared = fearful\nCalm = neutral\n");
        ReferenceLabels labels = new ReferenceLabels(iemocap4, LabelMap.parse(good.toString(), iemocap4));
        assertThat(labels.resolve("Joyful")).isEqualTo(new ReferenceLabels.InSet("happy"));
        assertThat(labels.resolve("calm")).isEqualTo(new ReferenceLabels.InSet("neutral"));
        assertThat(labels.resolve("bored")).isEqualTo(new ReferenceLabels.LeftOut("bored"));
        // fearful is a default-set label with no counterpart in iemocap4.
        assertThat(labels.resolve("scared")).isEqualTo(new ReferenceLabels.LeftOut("scared"));
        assertThat(labels.resolve("SAD")).isEqualTo(new ReferenceLabels.InSet("sad"));
        assertThat(labels.resolve("fru")).isEqualTo(new ReferenceLabels.Unknown("fru"));

        Path bad = Files.writeString(dir.resolve("bad.map"), "joyful = happy\ncalm neutral\n");
        assertThatThrownBy(() -> LabelMap.parse(bad.toString(), iemocap4))
                .hasMessage("the label map " + bad + " line 2 is not of the form 'label = target'");
        Path wrongTarget = Files.writeString(dir.resolve("wrong.map"), "joyful = elated\n");
        assertThatThrownBy(() -> LabelMap.parse(wrongTarget.toString(), iemocap4))
                .hasMessageStartingWith("the label map " + wrongTarget + " line 1 maps to 'elated', which is neither a label"
                        + " of iemocap4 (neutral, happy, sad, angry) nor of the default set");
        assertThatThrownBy(() -> LabelMap.parse(dir.resolve("none.map").toString(), iemocap4))
                .hasMessage("the label map " + dir.resolve("none.map") + " cannot be read (NoSuchFileException); give a file of"
                        + " 'label = target' lines or one of the presets msp-podcast, iemocap, meld");
    }

    @Test
    void theCorpusPresetsLandWhereTheirDocumentationSays() {
        EvaluationLabels msp = EvaluationLabels.parse("msp-podcast");
        ReferenceLabels meld = new ReferenceLabels(msp, LabelMap.parse("meld", msp));
        assertThat(List.of("neutral", "joy", "sadness", "anger", "surprise", "fear", "disgust").stream().map(meld::resolve))
                .containsExactly(new ReferenceLabels.InSet("neutral"), new ReferenceLabels.InSet("happy"),
                        new ReferenceLabels.InSet("sad"), new ReferenceLabels.InSet("angry"),
                        new ReferenceLabels.InSet("surprised"), new ReferenceLabels.InSet("fearful"),
                        new ReferenceLabels.InSet("disgusted"));
        EvaluationLabels thinker = EvaluationLabels.parse("emotionthinker9");
        ReferenceLabels mspThinker = new ReferenceLabels(thinker, LabelMap.parse("msp-podcast", thinker));
        assertThat(mspThinker.resolve("C")).isEqualTo(new ReferenceLabels.InSet("contempt/disgust"));
        assertThat(mspThinker.resolve("D")).isEqualTo(new ReferenceLabels.InSet("contempt/disgust"));
        assertThat(mspThinker.resolve("U")).isEqualTo(new ReferenceLabels.InSet("surprise"));
        assertThat(mspThinker.resolve("X")).isEqualTo(new ReferenceLabels.LeftOut("X"));
        ReferenceLabels iemocap = new ReferenceLabels(iemocap4, LabelMap.parse("iemocap", iemocap4));
        assertThat(iemocap.resolve("Neutral state")).isEqualTo(new ReferenceLabels.InSet("neutral"));
        assertThat(iemocap.resolve("exc")).isEqualTo(new ReferenceLabels.InSet("happy"));
        assertThat(iemocap.resolve("sur")).isEqualTo(new ReferenceLabels.LeftOut("sur"));
    }
}
