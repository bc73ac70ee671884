package io.emostream.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.emostream.job.domain.DomainProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded estimator on constructed inputs. Expected figures were worked out apart from the code, from the model
 * as its Javadoc states it (prototypes, spreads, beliefs, the domain prior), so a change to either shows here; they were
 * worked out again, the same way, when the tuning half of the acted set narrowed the arousal reading's spread.
 */
class CueEstimatorTest {
    private static final LabelPrior CUSTOMER = DomainProfile.CONTACT_CENTRE.prior("CUSTOMER");
    private static final LabelPrior AGENT = DomainProfile.CONTACT_CENTRE.prior("AGENT");
    private static final LabelPrior PODCAST = DomainProfile.PODCAST.prior("HOST");
    private static final LabelPrior UNIFORM = LabelPrior.uniform(LabelSet.MSP_PODCAST);
    private static final LexicalEvidence ANGRY_WORDS = new LexicalEvidence(-0.6, List.of("ridiculous"),
            Map.of("angry", List.of("ridiculous", "cancel")));
    private static final LexicalEvidence HAPPY_WORDS = new LexicalEvidence(0.7, List.of("wonderful"),
            Map.of("happy", List.of("wonderful")));

    private final CueEstimator estimator = new CueEstimator();

    /** Pitch, loudness, rate and range all {@code z} SD from the speaker's usual. */
    private static List<CueReading> prosody(double z) {
        return List.of(new CueReading("pitch_mean_hz", 200 + 20 * z, "Hz", z, 200.0),
                new CueReading("loudness_dbfs", -20 + 3 * z, "dBFS", z, -20.0),
                new CueReading("speaking_rate_syl_per_s", 4 + z, "syllables/s", z, 4.0),
                new CueReading("pitch_range_st", 6 + 2 * z, "st", z, 6.0));
    }

    private EmotionEstimate heard(List<CueReading> cues, boolean knowsSpeaker, LabelPrior prior) {
        return estimate(cues, LexicalEvidence.NONE, null, knowsSpeaker, prior);
    }

    private EmotionEstimate estimate(List<CueReading> cues, LexicalEvidence lexical, String transcript, boolean knowsSpeaker,
                                     LabelPrior prior) {
        return estimator.estimate(List.of(new ModelInput("u", new float[0], cues, lexical, transcript, knowsSpeaker, prior))).get(0);
    }

    @Test
    void speechAtTheSpeakersUsualIsConfidentlyNeutral() {
        EmotionEstimate e = heard(prosody(0), true, PODCAST);

        assertThat(e.label()).isEqualTo("neutral");
        assertThat(e.confidence()).isCloseTo(0.8535540699779008, within(1e-12)).isEqualTo(e.scores().get("neutral"));
        assertThat(e.uncertain()).isFalse();
        assertThat(e.uncertainty().closeLabels()).containsExactly("neutral");
        assertThat(e.arousal()).isZero();
        assertThat(e.scores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(e.scores().keySet()).containsExactlyElementsOf(LabelSet.MSP_PODCAST.labels());
    }

    @Test
    void arousalIsTheTanhOfTheWeightedZSumOfTheCuesThatCount() {
        // 0.35 + 0.35 + 0.25 + 0.2 = 1.15 of weighted z, over the scale 1.5.
        assertThat(heard(prosody(1), true, PODCAST).arousal()).isCloseTo(Math.tanh(1.15 / 1.5), within(1e-12));
        // Before the speaker is known: loudness counts for nothing, the rest only beyond 1 SD of typical speech.
        assertThat(heard(prosody(2), false, PODCAST).arousal()).isCloseTo(Math.tanh(0.8 / 1.5), within(1e-12));
        assertThat(heard(prosody(1), false, PODCAST).arousal()).isZero();
    }

    @Test
    void loudAndFastWithoutWordsIsUncertainAmongTheArousedEmotionsWithAModestConfidence() {
        EmotionEstimate e = heard(prosody(2), true, CUSTOMER);

        assertThat(e.label()).isEqualTo("angry");
        assertThat(e.confidence()).isCloseTo(0.46997325385089944, within(1e-12));
        assertThat(e.scores().get("happy")).isCloseTo(0.225761, within(1e-6));
        assertThat(e.scores().get("surprised")).isCloseTo(0.142484, within(1e-6));
        assertThat(e.scores().get("fearful")).isCloseTo(0.106314, within(1e-6));
        assertThat(e.uncertain()).isTrue();
        assertThat(e.uncertainty().closeLabels()).containsExactly("angry", "happy");
        assertThat(e.uncertainty().missing()).containsExactly("valence unknown without words");
        assertThat(e.valence()).as("the valence the posterior expects, not a plugged-in 0")
                .isCloseTo(-0.11454968169345585, within(1e-12));
    }

    @Test
    void noDomainOrRoleMakesLoudAndFastWithoutWordsAConfidentEmotion() {
        List<LabelPrior> priors = new ArrayList<>(List.of(UNIFORM));
        for (DomainProfile domain : DomainProfile.values()) {
            for (String role : List.of("AGENT", "CUSTOMER", "HOST", "GUEST", "UNKNOWN")) {
                priors.add(domain.prior(role));
            }
        }
        for (LabelPrior prior : priors) {
            for (double z = 1; z <= 4; z += 0.5) {
                EmotionEstimate e = heard(prosody(z), true, prior);

                assertThat(e.uncertain() || e.label().equals("neutral")).as("%s at %s SD: %s", prior.name(), z, e).isTrue();
                assertThat(e.confidence()).as("%s at %s SD", prior.name(), z).isLessThan(0.6);
            }
        }
        EmotionEstimate noPrior = heard(prosody(2), true, UNIFORM);
        assertThat(noPrior.label()).isEqualTo("surprised");
        assertThat(noPrior.confidence()).isCloseTo(0.3412359840918602, within(1e-12));
        assertThat(noPrior.uncertainty().closeLabels()).containsExactly("surprised", "angry", "fearful");
    }

    @Test
    void wordsWithSentimentDecideWhatTheVoiceCannot() {
        EmotionEstimate angry = estimate(prosody(2), ANGRY_WORDS, "This is ridiculous, cancel it.", true, CUSTOMER);
        EmotionEstimate happy = estimate(prosody(2), HAPPY_WORDS, "That is wonderful!", true, PODCAST);

        assertThat(angry.label()).isEqualTo("angry");
        assertThat(angry.confidence()).isCloseTo(0.9543259840836998, within(1e-12));
        assertThat(angry.uncertain()).isFalse();
        assertThat(angry.uncertainty().missing()).isEmpty();
        assertThat(happy.label()).isEqualTo("happy");
        assertThat(happy.confidence()).isCloseTo(0.9526844940282, within(1e-12));
        assertThat(happy.valence()).isCloseTo(0.6574514416966107, within(1e-12));
    }

    @Test
    void withoutWordsValenceIsUnobservedNotZero() {
        LexicalEvidence balanced = new LexicalEvidence(0.0, List.of("fine", "problem"), Map.of());

        EmotionEstimate unobserved = heard(prosody(2), true, CUSTOMER);
        EmotionEstimate zero = estimate(prosody(2), balanced, "It is fine, no problem.", true, CUSTOMER);

        // Words whose valence is 0 put the utterance in the middle of the plane; no words leave both sides open.
        assertThat(zero.confidence()).isCloseTo(0.41738733148762946, within(1e-12));
        assertThat(zero.scores().get("angry") + zero.scores().get("happy"))
                .isLessThan(unobserved.scores().get("angry") + unobserved.scores().get("happy"));
        assertThat(zero.scores().get("neutral")).isGreaterThan(unobserved.scores().get("neutral"));
    }

    @Test
    void theDomainPriorMultipliesTheLikelihoodAndRewritesNothingElse() {
        Map<String, Double> uniform = heard(prosody(2), true, UNIFORM).scores();
        Map<String, Double> customer = heard(prosody(2), true, CUSTOMER).scores();

        // Posterior ∝ likelihood × prior: ratios of two labels move by exactly the ratio of their priors.
        assertThat(customer.get("angry") / customer.get("happy"))
                .isCloseTo(uniform.get("angry") / uniform.get("happy") * (0.12 / 0.10), within(1e-9));
        assertThat(customer.get("neutral") / customer.get("surprised"))
                .isCloseTo(uniform.get("neutral") / uniform.get("surprised") * (0.60 / 0.03), within(1e-9));
        assertThat(heard(prosody(2), true, CUSTOMER).arousal()).isEqualTo(heard(prosody(2), true, UNIFORM).arousal());
    }

    @Test
    void aLowPitchedCalmVoiceHeardFirstIsNeutralNotContemptuousOrSad() {
        // A low male voice on a quiet line, its first sentence: compared with typical speech, not with itself.
        List<CueReading> lowAndQuiet = List.of(new CueReading("pitch_mean_hz", 100, "Hz", -1.3, 165.0),
                new CueReading("loudness_dbfs", -36, "dBFS", -1.25, -26.0),
                new CueReading("pitch_range_st", 3.6, "st", -0.8, 6.0));

        EmotionEstimate e = heard(lowAndQuiet, false, AGENT);

        assertThat(e.label()).isEqualTo("neutral");
        assertThat(e.uncertain()).isFalse();
        assertThat(e.confidence()).isCloseTo(0.8973135877848348, within(1e-12));
        assertThat(e.scores().get("contemptuous")).isCloseTo(0.015233, within(1e-6));
        assertThat(e.scores().get("sad")).isCloseTo(0.009446, within(1e-6));
        assertThat(e.uncertainty().missing()).containsExactly("this speaker's usual not yet known",
                "valence unknown without words");
    }

    @Test
    void aQuietLineIsNotASadSpeakerUntilTheSpeakersOwnLevelIsKnown() {
        List<CueReading> quiet = List.of(new CueReading("pitch_mean_hz", 165, "Hz", 0.0, 165.0),
                new CueReading("loudness_dbfs", -50, "dBFS", -3.0, -26.0),
                new CueReading("speaking_rate_syl_per_s", 4, "syl/s", 0.0, 4.0),
                new CueReading("pitch_range_st", 6, "st", 0.0, 6.0));

        EmotionEstimate firstHeard = heard(quiet, false, AGENT);
        EmotionEstimate known = heard(quiet, true, AGENT);

        assertThat(firstHeard.arousal()).isZero();
        assertThat(firstHeard.label()).isEqualTo("neutral");
        assertThat(firstHeard.confidence()).isCloseTo(0.9001921852711947, within(1e-12));
        assertThat(known.arousal()).as("3 dB-spreads below the speaker's own level is another matter")
                .isCloseTo(Math.tanh(-1.05 / 1.5), within(1e-12));
    }

    @Test
    void moreEvidenceGivesMoreConfidenceAndLessGivesLess() {
        List<CueReading> pitchOnly = List.of(prosody(0).get(0));

        double allCues = heard(prosody(0), true, PODCAST).confidence();
        double onePitch = heard(pitchOnly, true, PODCAST).confidence();
        double nothing = heard(List.of(), true, PODCAST).confidence();
        double firstHeard = heard(prosody(0), false, PODCAST).confidence();

        assertThat(allCues).isCloseTo(0.8535540699779008, within(1e-12));
        assertThat(onePitch).isCloseTo(0.8150806018084901, within(1e-12));
        assertThat(nothing).isCloseTo(0.7083751361777189, within(1e-12));
        assertThat(firstHeard).isCloseTo(0.8207380435820659, within(1e-12));
        assertThat(heard(List.of(), true, PODCAST).uncertainty().missing())
                .containsExactly("no usable voice cues", "valence unknown without words");
        // Words that agree with the voice make the label surer than the voice alone.
        assertThat(estimate(prosody(2), ANGRY_WORDS, "This is ridiculous.", true, CUSTOMER).confidence())
                .isGreaterThan(heard(prosody(2), true, CUSTOMER).confidence());
    }

    @Test
    void aTranscriptWithoutSentimentLeavesValenceUnknownAndSaysWhy() {
        EmotionEstimate e = estimate(prosody(2), new LexicalEvidence(0.0, List.of(), Map.of()), "I want this fixed today.",
                true, CUSTOMER);

        assertThat(e.scores()).isEqualTo(heard(prosody(2), true, CUSTOMER).scores());
        assertThat(e.uncertain()).isTrue();
        assertThat(e.uncertainty().missing()).containsExactly("valence unknown, no sentiment in the words");
    }

    @Test
    void aSharplyRisingContourLeansToSurpriseButWithoutWordsStaysUncertain() {
        List<CueReading> cues = new ArrayList<>(prosody(1.5));
        cues.add(new CueReading("pitch_slope_st_per_s", 9, "st/s", 3.0, 0.0));

        EmotionEstimate e = heard(cues, true, UNIFORM);

        assertThat(e.label()).isEqualTo("surprised");
        assertThat(e.confidence()).isCloseTo(0.6173984547420405, within(1e-12));
        assertThat(e.uncertain()).as("its valence rests on no words").isTrue();
    }

    @Test
    void arousalRisesWithEveryProsodicCueAndStaysWithinBounds() {
        double previous = -1;
        for (double z = -4; z <= 4; z += 0.5) {
            double arousal = heard(prosody(z), true, PODCAST).arousal();
            assertThat(arousal).isGreaterThan(previous).isBetween(-1.0, 1.0);
            previous = arousal;
        }
    }

    @Test
    void otherLabelSetsMergeAndRenormaliseTheDefaultScores() {
        Map<String, Double> scores = new HashMap<>(Map.of("neutral", 0.1, "happy", 0.1, "sad", 0.1, "angry", 0.2,
                "surprised", 0.1, "fearful", 0.1, "disgusted", 0.2, "contemptuous", 0.1));

        Map<String, Double> thinker = LabelSet.EMOTIONTHINKER9.fromDefault(scores);
        Map<String, Double> iemocap = LabelSet.IEMOCAP4.fromDefault(scores);

        assertThat(thinker.get("contempt/disgust")).isCloseTo(0.3, within(1e-9));
        assertThat(thinker.get("whisper")).isZero();
        assertThat(iemocap).containsOnlyKeys("neutral", "happy", "sad", "angry");
        assertThat(iemocap.get("angry")).isCloseTo(0.4, within(1e-9));
        assertThatThrownBy(() -> LabelSet.named("ravdess")).hasMessage("unknown label set 'ravdess'; known: msp-podcast, iemocap4, emotionthinker9");
    }
}
