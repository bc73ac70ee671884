package io.emostream.job.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

    private final UtteranceAnalyzer analyzer = new UtteranceAnalyzer(new CueEstimator(), LexicalAnalyzer.load(),
            AnalysisSettings.defaults(), micros -> { });

    /** The sentence spoken by flite with the given prosody, scaled in level, as one utterance. */
    private static Utterance rendered(Path dir, int f0Mean, int f0Spread, double stretch, float gain) throws Exception {
        return rendered(dir, "slt", SENTENCE, f0Mean, f0Spread, stretch, gain, "CUSTOMER");
    }

    private static Utterance rendered(Path dir, String voice, String text, int f0Mean, int f0Spread, double stretch, float gain,
                                      String role) throws Exception {
        float[] samples = Flite.speak(dir, voice, text, "int_f0_target_mean=" + f0Mean,
                "int_f0_target_stddev=" + f0Spread, "duration_stretch=" + stretch);
        for (int i = 0; i < samples.length; i++) {
            samples[i] *= gain;
        }
        Utterance utterance = new Utterance();
        utterance.callId = "call-1";
        utterance.channel = 1;
        utterance.role = role;
        utterance.source = "test:";
        utterance.startSample = 0;
        utterance.endSample = samples.length;
        utterance.samples = samples;
        return utterance;
    }

    @Test
    void onAFirstHearingTheArousedRenderingStillScoresHigherThanTheCalmOneWhichIsNeutral(@TempDir Path dir) throws Exception {
        Utterance calm = rendered(dir, 150, 8, 1.25, 0.5f);
        Utterance aroused = rendered(dir, 260, 45, 0.8, 1.8f);

        EmotionEvent calmEvent = analyzer.analyse(calm, new SpeakerBaseline(), null, TranscriptStatus.ASR_OFF);
        EmotionEvent arousedEvent = analyzer.analyse(aroused, new SpeakerBaseline(), null, TranscriptStatus.ASR_OFF);

        // Against typical speech, only what stands out from the spread of typical voices counts, and the line's level
        // not at all: the difference is smaller than against the speaker's own voice (next test), but it is there.
        assertThat(calmEvent.getLabel()).isEqualTo("neutral");
        assertThat(calmEvent.getArousal()).isBetween(-0.15, 0.15);
        assertThat(arousedEvent.getArousal()).isGreaterThan(calmEvent.getArousal() + 0.2);
    }

    @Test
    void aCalmLowPitchedMalesFirstSentenceOnAQuietLineIsNeutral(@TempDir Path dir) throws Exception {
        // About 100 Hz and −45 dBFS: 1.3 SD below typical pitch and 2.4 SD below the typical level.
        Utterance first = rendered(dir, "rms", "Thank you for calling, my name is Sam, how can I help you today?", 95, 8, 1.15,
                0.05f, "AGENT");

        EmotionEvent event = analyzer.analyse(first, new SpeakerBaseline(), null, TranscriptStatus.ASR_OFF);

        assertThat(event.getLabel()).isEqualTo("neutral");
        assertThat(event.getUncertain()).isFalse();
        assertThat(event.getConfidence()).isGreaterThan(0.8);
        assertThat(event.getRationale()).doesNotContain("below", "quiet", "slow", "contemptuous", "sad");
        assertThat(event.getCues()).filteredOn(c -> c.getName().equals("pitch_mean_hz")).singleElement()
                .satisfies(c -> assertThat(c.getZScore()).isLessThan(-1));
        assertThat(event.getRationaleContradictions()).isEmpty();
    }

    @Test
    void aShoutedLineWithoutWordsIsUncertainNotASurprise(@TempDir Path dir) throws Exception {
        SpeakerBaseline baseline = new SpeakerBaseline();
        while (baseline.heardSeconds() < SpeakerBaseline.PRIOR_SECONDS) {
            analyzer.analyse(rendered(dir, 150, 8, 1.1, 0.3f), baseline, null, TranscriptStatus.ASR_OFF);
        }

        EmotionEvent shouted = analyzer.analyse(rendered(dir, 260, 45, 0.8, 1.8f), baseline, null, TranscriptStatus.ASR_OFF);

        assertThat(shouted.getArousal()).isGreaterThan(0.8);
        assertThat(shouted.getUncertain()).isTrue();
        assertThat(shouted.getLabel()).isNotEqualTo("surprised");
        assertThat(shouted.getConfidence()).isLessThan(0.6);
        assertThat(shouted.getRationale()).contains("loud", "valence unknown without words → uncertain (");
        assertThat(shouted.getRationaleContradictions()).isEmpty();
        assertThat(shouted.getMismatch()).isNull();
    }

    @Test
    void politeWordsShoutedAreFlaggedAsWordsAndVoiceThatDisagree(@TempDir Path dir) throws Exception {
        String polite = "Thank you so much, that is just great.";
        SpeakerBaseline baseline = new SpeakerBaseline();
        while (baseline.heardSeconds() < SpeakerBaseline.PRIOR_SECONDS) {
            analyzer.analyse(rendered(dir, "slt", polite, 150, 8, 1.1, 0.3f, "CUSTOMER"), baseline, polite,
                    TranscriptStatus.PRESENT);
        }

        EmotionEvent shouted = analyzer.analyse(rendered(dir, "slt", polite, 260, 45, 0.8, 1.8f, "CUSTOMER"), baseline,
                polite, TranscriptStatus.PRESENT);

        assertThat(shouted.getMismatch()).isNotNull();
        assertThat(shouted.getMismatch().getWords()).startsWith("positive words (");
        assertThat(shouted.getMismatch().getVoice()).contains("loud");
        assertThat(shouted.getMismatch().getWordsValence()).isGreaterThan(WordsVoiceCheck.POSITIVE_WORDS);
        assertThat(shouted.getRationale()).contains(" Words and voice disagree: positive words (");
        assertThat(shouted.getRationaleContradictions()).isEmpty();
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

    /** One second of a 180 Hz tone, as a customer's utterance from a given source. */
    private static Utterance toneFrom(String source) {
        Utterance utterance = tone("CUSTOMER");
        utterance.source = source;
        return utterance;
    }

    @Test
    void theConfiguredDomainOrElseTheRoleChoosesThePriorTheEstimatorMultipliesBy() throws Exception {
        UtteranceAnalyzer podcast = new UtteranceAnalyzer(new CueEstimator(), LexicalAnalyzer.load(),
                AnalysisSettings.defaults().withDomain("podcast"), micros -> { });

        var byRole = analyzer.analyse(toneFrom("file:call.wav"), new SpeakerBaseline(), null, TranscriptStatus.ASR_OFF).getScores();
        var named = podcast.analyse(toneFrom("file:call.wav"), new SpeakerBaseline(), null, TranscriptStatus.ASR_OFF).getScores();

        // The same likelihoods; the customer's contact-centre prior has neutral:happy 0.60:0.10, the podcast's 0.60:0.20.
        assertThat((byRole.get("neutral") / byRole.get("happy")) / (named.get("neutral") / named.get("happy")))
                .isCloseTo(2.0, within(1e-9));
        assertThatThrownBy(() -> new UtteranceAnalyzer(new CueEstimator(), LexicalAnalyzer.load(),
                AnalysisSettings.defaults().withDomain("radio"), micros -> { }))
                .hasMessage("Unknown domain 'radio': the domain is contact-centre, podcast or msp-podcast.");
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
    void aSpeakerCountsAsKnownOnceAShortSentenceOfTheirOwnHasBeenHeard() {
        SpeakerBaseline baseline = new SpeakerBaseline();
        List<Boolean> known = new java.util.ArrayList<>();
        List<Double> heardBefore = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            heardBefore.add(baseline.heardSeconds());
            known.add(analyzer.prepare(tone("CUSTOMER"), baseline, null, TranscriptStatus.ASR_OFF).input().knowsSpeaker());
        }

        for (int i = 0; i < known.size(); i++) {
            assertThat(known.get(i)).as("after %s s", heardBefore.get(i))
                    .isEqualTo(heardBefore.get(i) >= SpeakerBaseline.KNOWN_AFTER_SECONDS);
        }
        assertThat(known).as("the first utterance is judged against typical speech, a later one against the speaker")
                .startsWith(false).endsWith(true);
    }

    @Test
    void aCustomerWhoWantsToCancelGetsAChurnRiskPhraseAndANegativeValence() throws Exception {
        UtteranceAnalyzer.Prepared prepared = analyzer.prepare(tone("CUSTOMER"), new SpeakerBaseline(),
                "I want to cancel my account", TranscriptStatus.PRESENT);
        EmotionEvent event = analyzer.finish(List.of(prepared)).get(0);

        assertThat(event.getPhrases()).containsExactly(new PhraseHit("churn.cancel", "churn_risk", "want to cancel", "WARNING"));
        assertThat(prepared.input().lexical().valence()).as("the words' valence")
                .isCloseTo(-2.5 / Math.sqrt(2.5 * 2.5 + 15), within(1e-12));
        assertThat(event.getValence()).as("the estimate's valence follows the words").isNegative();
        assertThat(event.getRationaleContradictions()).isEmpty();
    }

    @Test
    void anAgentSayingTheSameWordsIsNoChurnRisk() throws Exception {
        UtteranceAnalyzer.Prepared prepared = analyzer.prepare(tone("AGENT"), new SpeakerBaseline(),
                "So you want to cancel your account?", TranscriptStatus.PRESENT);
        EmotionEvent event = analyzer.finish(List.of(prepared)).get(0);

        assertThat(event.getPhrases()).isEmpty();
        assertThat(prepared.input().lexical().valence()).as("'want' is neutral on a call").isZero();
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
