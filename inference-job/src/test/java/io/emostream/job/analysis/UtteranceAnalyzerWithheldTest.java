package io.emostream.job.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.cues.SpeakerBaseline;
import io.emostream.job.lexical.LexicalAnalyzer;
import io.emostream.job.model.CueEstimator;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LabelSet;
import io.emostream.job.model.ModelInput;
import io.emostream.job.policy.EmotionPolicy;
import io.emostream.job.segment.Utterance;
import io.emostream.schema.Cue;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.TranscriptStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Under --no-emotion-for, a withheld speaker's utterance never reaches the model, and its event carries no emotion. */
class UtteranceAnalyzerWithheldTest {
    private static final String WORDS = "This is ridiculous, thanks for nothing.";

    private final Recording model = new Recording();
    private final List<Long> modelCalls = new ArrayList<>();
    private final UtteranceAnalyzer analyzer = new UtteranceAnalyzer(model, LexicalAnalyzer.load(),
            AnalysisSettings.defaults().withNoEmotionFor(List.of("AGENT")), modelCalls::add);

    @Test
    void theModelIsAskedAboutTheCustomerOnlyAndTheAgentsEventSaysWhy() throws Exception {
        Utterance agent = voice("AGENT", 0);
        agent.transcriptSource = "sphinx4";
        Utterance customer = voice("CUSTOMER", 1);
        SpeakerBaseline agentBaseline = new SpeakerBaseline();
        SpeakerBaseline customerBaseline = new SpeakerBaseline();

        List<EmotionEvent> events = analyzer.finish(List.of(
                analyzer.prepare(agent, agentBaseline, WORDS, TranscriptStatus.PRESENT),
                analyzer.prepare(customer, customerBaseline, null, TranscriptStatus.ASR_OFF)));

        assertThat(model.asked).containsExactly(List.of(customer.id()));
        assertThat(agentBaseline.heardSeconds()).as("the agent's voice is not learnt").isZero();
        assertThat(customerBaseline.heardSeconds()).isGreaterThan(0);
        assertThat(analyzer.analysesEmotionOf(agent)).isFalse();
        assertThat(analyzer.analysesEmotionOf(customer)).isTrue();

        EmotionEvent withheld = events.get(0);
        AcousticCues measured = AcousticCues.measure(agent.samples);
        assertThat(withheld.getUtteranceId()).isEqualTo(agent.id());
        assertThat(withheld.getEmotionWithheld()).isEqualTo("no-emotion-for AGENT");
        assertThat(withheld.getLabel()).isNull();
        assertThat(withheld.getScores()).isEmpty();
        assertThat(withheld.getArousal()).isNull();
        assertThat(withheld.getValence()).isNull();
        assertThat(withheld.getConfidence()).isNull();
        assertThat(withheld.getUncertain()).isFalse();
        assertThat(withheld.getMismatch()).isNull();
        assertThat(withheld.getTranscript()).isEqualTo(WORDS);
        assertThat(withheld.getTranscriptStatus()).isEqualTo(TranscriptStatus.PRESENT);
        assertThat(withheld.getStartMs()).isEqualTo(2_000);
        assertThat(withheld.getEndMs()).isEqualTo(4_000);
        // Only the conversation cues that were measured: a tone has no countable syllables.
        assertThat(withheld.getCues()).containsExactlyElementsOf(measured.asMeasurements().stream()
                .filter(m -> m.name().equals(AcousticCues.SPEAKING_RATE_SYL_PER_S) || m.name().equals(AcousticCues.PAUSE_RATIO))
                .map(m -> new Cue(m.name(), m.value(), m.unit(), null)).toList())
                .extracting(Cue::getName).contains(AcousticCues.PAUSE_RATIO);
        assertThat(withheld.getModelId()).isEqualTo(EmotionPolicy.ID);
        assertThat(withheld.getFieldSources()).containsExactly(Map.entry("rationale", EmotionPolicy.ID),
                Map.entry("transcript", "sphinx4"));
        assertThat(withheld.getRationale()).startsWith("No emotion analysed (policy no-emotion-for AGENT). Pauses ")
                .doesNotContain("ridiculous");
        assertThat(withheld.getRationaleContradictions()).isEmpty();

        EmotionEvent labelled = events.get(1);
        assertThat(labelled.getEmotionWithheld()).isNull();
        assertThat(labelled.getLabel()).isIn(LabelSet.MSP_PODCAST.labels());
        assertThat(labelled.getModelId()).isEqualTo(CueEstimator.ID);
        assertThat(labelled.getCues()).hasSizeGreaterThan(2);
    }

    @Test
    void phraseRulesStillRunOnAWithheldSpeakersWords() throws Exception {
        EmotionEvent event = analyzer.finish(List.of(analyzer.prepare(voice("AGENT", 0), new SpeakerBaseline(),
                "Thank you for waiting, the refund is on its way.", TranscriptStatus.PRESENT))).get(0);

        assertThat(event.getEmotionWithheld()).isEqualTo("no-emotion-for AGENT");
        assertThat(event.getPhrases()).extracting(hit -> hit.getCategory()).containsExactly("gratitude");
        assertThat(model.asked).isEmpty();
    }

    @Test
    void aBatchOfWithheldUtterancesNeverCallsTheModel() throws Exception {
        List<EmotionEvent> events = analyzer.finish(List.of(
                analyzer.prepare(voice("AGENT", 0), null, null, TranscriptStatus.ASR_OFF),
                analyzer.prepare(voice("AGENT", 1), null, null, TranscriptStatus.ASR_OFF)));

        assertThat(events).extracting(EmotionEvent::getEmotionWithheld).containsExactly("no-emotion-for AGENT", "no-emotion-for AGENT");
        assertThat(model.asked).isEmpty();
        assertThat(modelCalls).as("no model call to time").isEmpty();
    }

    /** Two seconds of a voiced 180 Hz sound with its harmonic, starting at two seconds per index. */
    private static Utterance voice(String role, int index) {
        Utterance utterance = new Utterance();
        utterance.callId = "call-policy";
        utterance.channel = "AGENT".equals(role) ? 0 : 1;
        utterance.role = role;
        utterance.source = "test:";
        utterance.samples = new float[32_000];
        for (int i = 0; i < utterance.samples.length; i++) {
            double t = i / 16_000.0;
            utterance.samples[i] = (float) (0.1 * Math.sin(2 * Math.PI * 180 * t) + 0.05 * Math.sin(2 * Math.PI * 360 * t));
        }
        utterance.startSample = (index + 1) * 32_000L;
        utterance.endSample = utterance.startSample + utterance.samples.length;
        return utterance;
    }

    /** The embedded estimator, recording the utterances of each call. */
    private static final class Recording implements EmotionModel {
        final CueEstimator estimator = new CueEstimator();
        final List<List<String>> asked = new ArrayList<>();

        @Override
        public String id() {
            return estimator.id();
        }

        @Override
        public LabelSet labels() {
            return estimator.labels();
        }

        @Override
        public int maxBatchSize() {
            return estimator.maxBatchSize();
        }

        @Override
        public void open() {
            estimator.open();
        }

        @Override
        public List<EmotionEstimate> estimate(List<ModelInput> batch) {
            asked.add(batch.stream().map(ModelInput::utteranceId).toList());
            return estimator.estimate(batch);
        }

        @Override
        public void close() {
            estimator.close();
        }
    }
}
