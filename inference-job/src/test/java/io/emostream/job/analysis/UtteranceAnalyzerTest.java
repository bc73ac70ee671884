package io.emostream.job.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.emostream.job.Flite;
import io.emostream.job.cues.SpeakerBaseline;
import io.emostream.job.lexical.LexicalAnalyzer;
import io.emostream.job.model.CueEstimator;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.segment.Utterance;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.PhraseHit;
import io.emostream.schema.TranscriptStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UtteranceAnalyzerTest {
    private static final String SENTENCE = "I have been waiting on hold for an hour and I want this fixed today.";

    private final UtteranceAnalyzer analyzer = new UtteranceAnalyzer(new CueEstimator(), LexicalAnalyzer.load(), micros -> { });

    /** The sentence spoken by flite with the given prosody, scaled in level, as one utterance. */
    private static Utterance rendered(Path dir, int f0Mean, int f0Spread, double stretch, float gain) throws Exception {
        float[] samples = Flite.speak(dir, "slt", SENTENCE, "int_f0_target_mean=" + f0Mean,
                "int_f0_target_stddev=" + f0Spread, "duration_stretch=" + stretch);
        for (int i = 0; i < samples.length; i++) {
            samples[i] *= gain;
        }
        Utterance utterance = new Utterance();
        utterance.callId = "call-1";
        utterance.channel = 1;
        utterance.role = "CUSTOMER";
        utterance.source = "test:";
        utterance.startSample = 0;
        utterance.endSample = samples.length;
        utterance.samples = samples;
        return utterance;
    }


    @Test
    void theSameSentenceSpokenArousedScoresHigherArousalThanSpokenCalmly(@TempDir Path dir) throws Exception {
        Utterance calm = rendered(dir, 150, 8, 1.25, 0.5f);
        Utterance aroused = rendered(dir, 260, 45, 0.8, 1.8f);

        EmotionEvent calmEvent = analyzer.analyse(calm, new SpeakerBaseline(), null, TranscriptStatus.ASR_OFF);
        EmotionEvent arousedEvent = analyzer.analyse(aroused, new SpeakerBaseline(), null, TranscriptStatus.ASR_OFF);

        assertThat(arousedEvent.getArousal()).isGreaterThan(calmEvent.getArousal() + 0.3);
    }

    @Test
    void againstTheSpeakersOwnCalmSpeechTheArousedOneStandsOut(@TempDir Path dir) throws Exception {
        Utterance calm = rendered(dir, 150, 8, 1.25, 0.5f);
        Utterance aroused = rendered(dir, 260, 45, 0.8, 1.8f);
        SpeakerBaseline baseline = new SpeakerBaseline();
        EmotionEvent lastCalm = null;
        for (int i = 0; i < 4; i++) {
            lastCalm = analyzer.analyse(calm, baseline, null, TranscriptStatus.ASR_OFF);
        }

        EmotionEvent arousedEvent = analyzer.analyse(aroused, baseline, null, TranscriptStatus.ASR_OFF);

        assertThat(baseline.heardSeconds()).isGreaterThan(SpeakerBaseline.PRIOR_SECONDS);
        assertThat(arousedEvent.getArousal()).isGreaterThan(lastCalm.getArousal() + 0.5);
        assertThat(arousedEvent.getRationale()).contains("above this speaker's usual").contains("loud");
        assertThat(arousedEvent.getCues()).filteredOn(c -> c.getName().equals("pitch_mean_hz"))
                .singleElement().satisfies(c -> assertThat(c.getZScore()).isGreaterThan(2));
    }

    @Test
    void wordsOfATranscriptCarryTheValenceAndAppearInTheRationale() throws Exception {
        Utterance utterance = new Utterance();
        utterance.callId = "call-2";
        utterance.channel = 0;
        utterance.role = "CUSTOMER";
        utterance.source = "test:";
        utterance.samples = new float[16000];
        for (int i = 0; i < utterance.samples.length; i++) {
            utterance.samples[i] = (float) (0.1 * Math.sin(2 * Math.PI * 180 * i / 16000.0));
        }
        utterance.endSample = utterance.samples.length;

        EmotionEvent event = analyzer.analyse(utterance, new SpeakerBaseline(),
                "This is ridiculous and unacceptable, I want to cancel.", TranscriptStatus.PRESENT);

        assertThat(event.getValence()).isLessThan(-0.3);
        assertThat(event.getLabel()).isIn(List.of("angry", "disgusted", "contemptuous", "sad", "fearful"));
        assertThat(event.getRationale()).contains("'ridiculous'");
        assertThat(event.getTranscript()).isEqualTo("This is ridiculous and unacceptable, I want to cancel.");
    }

    private static Utterance tone(String role) {
        Utterance utterance = new Utterance();
        utterance.callId = "call-3";
        utterance.channel = 1;
        utterance.role = role;
        utterance.source = "test:";
        utterance.samples = new float[16000];
        for (int i = 0; i < utterance.samples.length; i++) {
            utterance.samples[i] = (float) (0.1 * Math.sin(2 * Math.PI * 180 * i / 16000.0));
        }
        utterance.endSample = utterance.samples.length;
        return utterance;
    }

    @Test
    void aCustomerWhoWantsToCancelGetsAChurnRiskPhraseAndANegativeValence() throws Exception {
        EmotionEvent event = analyzer.analyse(tone("CUSTOMER"), new SpeakerBaseline(), "I want to cancel my account",
                TranscriptStatus.PRESENT);

        assertThat(event.getPhrases()).containsExactly(new PhraseHit("churn.cancel", "churn_risk", "want to cancel", "WARNING"));
        assertThat(event.getValence()).isCloseTo(-2.5 / Math.sqrt(2.5 * 2.5 + 15), within(1e-12));
        assertThat(event.getRationaleContradictions()).isEmpty();
    }

    @Test
    void anAgentSayingTheSameWordsIsNoChurnRisk() throws Exception {
        EmotionEvent event = analyzer.analyse(tone("AGENT"), new SpeakerBaseline(), "So you want to cancel your account?",
                TranscriptStatus.PRESENT);

        assertThat(event.getPhrases()).isEmpty();
        assertThat(event.getValence()).isZero();
    }

    @Test
    void theModelSeesThePhraseCategoriesAndQuotableWords() {
        LexicalEvidence evidence = UtteranceAnalyzer.evidence(
                LexicalAnalyzer.load().analyze("This isn't acceptable, it's fucking useless.", "CUSTOMER"));

        assertThat(evidence.categories()).containsExactly(
                Map.entry("complaint", List.of("isn\u2019t acceptable")), Map.entry("profanity", List.of("fucking")));
        // "useless", a second match of the rule that counted "isn't acceptable", keeps VADER's rating, boosted.
        assertThat(evidence.valenceWords()).containsExactly("useless", "isn\u2019t acceptable", "fucking");
    }
}
