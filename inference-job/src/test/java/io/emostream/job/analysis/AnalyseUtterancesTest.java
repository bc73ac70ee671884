package io.emostream.job.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.job.EmotionModels;
import io.emostream.job.model.onnx.ModelCard;
import io.emostream.job.segment.Utterance;
import io.emostream.job.speechlm.AskPolicy;
import io.emostream.schema.Cue;
import io.emostream.schema.EmotionEvent;
import io.emostream.testkit.TinySerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keyed shell around the analyser: what it keeps per speaker, and for how long. */
class AnalyseUtterancesTest {

    @Test
    void aSpeakersBaselineIsForgottenAfterTheRetentionTime() throws Exception {
        try (var harness = harness(new AnalyseUtterances.Batching(1, 0))) {
            harness.open();
            harness.setStateTtlProcessingTime(0);
            harness.processElement(voice(0), 0);
            harness.processElement(voice(1), 0);
            harness.setStateTtlProcessingTime(AnalyseUtterances.BASELINE_RETENTION.toMillis() + 1);
            harness.processElement(voice(2), 0);

            List<EmotionEvent> events = events(harness);
            assertThat(zScores(events.get(1))).as("the second utterance is compared with the first")
                    .isNotEqualTo(zScores(events.get(0)));
            assertThat(zScores(events.get(2))).as("after an hour of silence the speaker starts afresh")
                    .isEqualTo(zScores(events.get(0)));
        }
    }

    @Test
    void utterancesWaitForABatchUntilItIsFullTheWaitIsOverACheckpointComesOrTheInputEnds(@TempDir Path dir) throws Exception {
        try (var harness = harness(tinyOnnxModel(dir), null, new AnalyseUtterances.Batching(3, 50))) {
            harness.open();
            harness.setProcessingTime(0);
            harness.processElement(voice("a", 0), 0);
            harness.processElement(voice("b", 1), 0);
            assertThat(events(harness)).as("two of three").isEmpty();
            harness.processElement(voice("c", 2), 0);
            assertThat(events(harness)).as("full").hasSize(3);

            harness.processElement(voice("a", 3), 0);
            harness.setProcessingTime(49);
            assertThat(events(harness)).hasSize(3);
            harness.setProcessingTime(50);
            assertThat(events(harness)).as("the wait is over").hasSize(4);

            harness.processElement(voice("b", 4), 0);
            harness.prepareSnapshotPreBarrier(1);
            assertThat(events(harness)).as("before the checkpoint barrier").hasSize(5);

            harness.processElement(voice("c", 5), 0);
            harness.endInput();
            assertThat(events(harness)).as("at the end of input").hasSize(6)
                    .extracting(EmotionEvent::getCallId).containsExactly("call-a", "call-b", "call-c", "call-a", "call-b", "call-c");
        }
    }

    @Test
    void theEmbeddedEstimatorLabelsEachUtteranceAtOnceInsteadOfWaitingForABatch() throws Exception {
        try (var harness = harness(new AnalyseUtterances.Batching(3, 50))) {
            harness.open();
            harness.setProcessingTime(0);
            harness.processElement(voice("a", 0), 0);
            assertThat(events(harness)).as("no wait: it gains nothing from company").hasSize(1);
            harness.processElement(voice("b", 1), 0);
            assertThat(events(harness)).hasSize(2);
        }
    }

    @Test
    void onlyTheUtterancesTheCascadePicksKeepTheirAudioForTheSpeechLm() throws Exception {
        AskPolicy everySecond = new AskPolicy(false, false, 0, false, 0.5);
        try (var harness = harness(everySecond, new AnalyseUtterances.Batching(1, 0))) {
            harness.open();
            for (int i = 0; i < 12; i++) {
                harness.processElement(voice("ask", i), 0);
            }
            List<LabelledUtterance> labelled = harness.extractOutputValues();
            assertThat(labelled).hasSize(12).allSatisfy(utterance -> {
                boolean picked = AskPolicy.share(utterance.event.getUtteranceId()) < 0.5;
                assertThat(utterance.askReason).isEqualTo(picked ? AskPolicy.SAMPLED : null);
                if (picked) {
                    assertThat(utterance.samples).hasSize(32_000).isEqualTo(voice("ask", 0).samples);
                } else {
                    assertThat(utterance.samples).isNull();
                }
            });
            assertThat(labelled).as("a hash of the id picks about half").filteredOn(u -> u.askReason != null)
                    .hasSizeBetween(2, 10);
        }
        try (var harness = harness(null, new AnalyseUtterances.Batching(1, 0))) {
            harness.open();
            harness.processElement(voice("no-speechlm", 0), 0);
            assertThat(harness.extractOutputValues()).singleElement()
                    .satisfies(utterance -> assertThat(utterance.samples).as("no SpeechLM, no audio kept").isNull());
        }
    }

    @Test
    void aWithheldSpeakerKeepsNoBaselineAndIsNeverPutToTheSpeechLm() throws Exception {
        AnalysisSettings noAgentEmotion = AnalysisSettings.defaults().withNoEmotionFor(List.of("AGENT"));
        AskPolicy everything = new AskPolicy(true, false, 0, false, 0);
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(new AnalyseUtterances(EmotionModels.DEFAULT, everything,
                new AnalyseUtterances.Batching(1, 0), noAgentEmotion), (Utterance u) -> u.callId + "/" + u.channel, Types.STRING)) {
            harness.open();
            Utterance agent = voice("policy", 0);
            agent.role = "AGENT";
            harness.processElement(agent, 0);
            assertThat(harness.numKeyedStateEntries()).as("no baseline for the agent").isZero();
            Utterance customer = voice("policy", 1);
            customer.channel = 1;
            harness.processElement(customer, 0);

            List<LabelledUtterance> labelled = harness.extractOutputValues();
            assertThat(labelled.get(0).event.getEmotionWithheld()).isEqualTo("no-emotion-for AGENT");
            assertThat(labelled.get(0).askReason).isNull();
            assertThat(labelled.get(0).samples).as("no audio kept for a SpeechLM").isNull();
            assertThat(labelled.get(1).event.getEmotionWithheld()).isNull();
            assertThat(labelled.get(1).askReason).isEqualTo(AskPolicy.ALL);
            assertThat(harness.numKeyedStateEntries()).as("the customer's baseline").isEqualTo(1);
        }
        assertThatThrownBy(() -> new AnalyseUtterances(EmotionModels.DEFAULT, null, AnalyseUtterances.Batching.defaults(),
                AnalysisSettings.defaults().withNoEmotionFor(List.of("BOGUS"))))
                .hasMessage("unknown speaker role 'BOGUS'; use one of agent, customer, host, guest, unknown");
        assertThatThrownBy(() -> new AnalyseUtterances(EmotionModels.DEFAULT, null, AnalyseUtterances.Batching.defaults(),
                AnalysisSettings.defaults().withDomain("radio")))
                .hasMessage("Unknown domain 'radio': the domain is contact-centre, podcast or msp-podcast.");
    }

    private static List<EmotionEvent> events(KeyedOneInputStreamOperatorTestHarness<String, Utterance, LabelledUtterance> harness) {
        return harness.extractOutputValues().stream().map(labelled -> labelled.event).toList();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Utterance, LabelledUtterance> harness(AnalyseUtterances.Batching batching)
            throws Exception {
        return harness(null, batching);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Utterance, LabelledUtterance> harness(
            AskPolicy policy, AnalyseUtterances.Batching batching) throws Exception {
        return harness(EmotionModels.DEFAULT, policy, batching);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Utterance, LabelledUtterance> harness(
            String model, AskPolicy policy, AnalyseUtterances.Batching batching) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new AnalyseUtterances(model, policy, batching, AnalysisSettings.defaults()),
                u -> u.callId + "/" + u.channel, Types.STRING);
    }

    /** A model that gains from batches, as every neural one does: {@link TinySerModel} behind an ONNX model card. */
    private static String tinyOnnxModel(Path dir) throws Exception {
        TinySerModel.write(dir.resolve("model.onnx"), new float[] {1f, -1f, 0.5f}, new float[] {0f, 0.2f, -0.1f}, null, false);
        Files.writeString(dir.resolve(ModelCard.FILE_NAME), """
                {"name": "tiny", "file": "model.onnx",
                 "input": {"kind": "waveform", "name": "waveform", "maxSeconds": 10},
                 "output": {"name": "logits", "scores": "logits"},
                 "labels": ["neutral", "happy", "sad"], "maxBatchSize": 8}
                """);
        return EmotionModels.ONNX + dir;
    }

    private static List<Double> zScores(EmotionEvent event) {
        return event.getCues().stream().map(Cue::getZScore).toList();
    }

    private static Utterance voice(int index) {
        return voice("ttl", index);
    }

    /** Two seconds of a voiced 180 Hz sound with its harmonics, the same each time. */
    private static Utterance voice(String call, int index) {
        Utterance utterance = new Utterance();
        utterance.callId = "call-" + call;
        utterance.channel = 0;
        utterance.role = "CUSTOMER";
        utterance.source = "test:";
        utterance.samples = new float[32_000];
        for (int i = 0; i < utterance.samples.length; i++) {
            double t = i / 16_000.0;
            utterance.samples[i] = (float) (0.1 * Math.sin(2 * Math.PI * 180 * t) + 0.05 * Math.sin(2 * Math.PI * 360 * t)
                    + 0.02 * Math.sin(2 * Math.PI * 540 * t));
        }
        utterance.startSample = index * 40_000L;
        utterance.endSample = utterance.startSample + utterance.samples.length;
        utterance.speechSamples = utterance.samples.length;
        return utterance;
    }
}
