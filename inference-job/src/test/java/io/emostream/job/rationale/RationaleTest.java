package io.emostream.job.rationale;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.Uncertainty;
import io.emostream.schema.WordsVoiceMismatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RationaleTest {
    private static final EmotionEstimate ANGRY = new EmotionEstimate("angry", Map.of("angry", 0.7, "neutral", 0.3), 0.7, -0.6, 0.7);
    /** What the cue estimator says of an aroused voice on a first hearing, without words. */
    private static final EmotionEstimate UNSURE = new EmotionEstimate("angry", Map.of("angry", 0.4, "happy", 0.35, "neutral", 0.25),
            0.7, -0.1, 0.4, Uncertainty.of(Map.of("angry", 0.4, "happy", 0.35, "neutral", 0.25),
                    List.of("this speaker's usual not yet known", "valence unknown without words"), true));

    @Test
    void writesTheMeasuredCuesAndWordsStrongestFirst() {
        List<CueReading> cues = List.of(
                new CueReading("pitch_mean_hz", 270, "Hz", 2.1, 200.0),
                new CueReading("loudness_dbfs", -14, "dBFS", 1.8, -20.0),
                new CueReading("speaking_rate_syl_per_s", 5.8, "syllables/s", 1.5, 4.2),
                new CueReading("pitch_range_st", 7, "st", 0.4, 6.0));
        LexicalEvidence words = new LexicalEvidence(-0.6, List.of("ridiculous"), Map.of("angry", List.of("ridiculous", "cancel")));

        Rationale rationale = RationaleWriter.write(ANGRY, cues, words, true);

        assertThat(rationale.text()).isEqualTo("Pitch 35% above this speaker's usual, loud (+6 dB) and fast"
                + " (5.8 syllables/s), with 'ridiculous' and 'cancel' → angry.");
        assertThat(GroundingCheck.check(rationale.text(), cues).contradictions()).isEmpty();
    }

    @Test
    void oneSemitoneIsSingular() {
        EmotionEstimate sad = new EmotionEstimate("sad", Map.of("sad", 1.0), -0.5, -0.5, 1);
        List<CueReading> flat = List.of(new CueReading("pitch_range_st", 1.2, "st", -2.5, 6.0));
        List<CueReading> flatter = List.of(new CueReading("pitch_range_st", 0.4, "st", -3.0, 6.0));

        assertThat(RationaleWriter.write(sad, flat, LexicalEvidence.NONE, true).text()).isEqualTo("Flat intonation (1 semitone) → sad.");
        assertThat(RationaleWriter.write(sad, flatter, LexicalEvidence.NONE, true).text()).isEqualTo("Flat intonation (0 semitones) → sad.");
    }

    @Test
    void aVoiceLikeUsualIsSaidToBeSoAndThatToo() {
        List<CueReading> cues = List.of(new CueReading("pitch_mean_hz", 205, "Hz", 0.3, 200.0),
                new CueReading("loudness_dbfs", -20, "dBFS", -0.2, -20.0),
                new CueReading("speaking_rate_syl_per_s", 4.1, "syllables/s", 0.1, 4.0));
        EmotionEstimate neutral = new EmotionEstimate("neutral", Map.of("neutral", 1.0), 0, 0, 1);

        Rationale rationale = RationaleWriter.write(neutral, cues, LexicalEvidence.NONE, true);

        assertThat(rationale.text()).isEqualTo("Pitch, loudness and pace close to this speaker's usual → neutral.");
        GroundingCheck.Result check = GroundingCheck.check(rationale.text(), cues);
        assertThat(check.claims()).hasSize(3);
        assertThat(check.contradictions()).isEmpty();
    }

    @Test
    void everyClaimOfEveryWrittenRationaleIsReadBackFromTheTextAndHolds() {
        Random random = new Random(11);
        String[] names = {"pitch_mean_hz", "loudness_dbfs", "speaking_rate_syl_per_s", "pitch_range_st",
            "pitch_slope_st_per_s", "pause_ratio"};
        for (int trial = 0; trial < 500; trial++) {
            List<CueReading> cues = new ArrayList<>();
            for (String name : names) {
                double z = random.nextGaussian() * 1.5;
                double usual = name.equals("loudness_dbfs") ? -20 : name.equals("pitch_mean_hz") ? 180 : 4;
                cues.add(new CueReading(name, usual + z * 2, "u", z, usual));
            }
            EmotionEstimate estimate = trial % 3 == 0 ? UNSURE : ANGRY;
            Rationale rationale = RationaleWriter.write(estimate, cues, LexicalEvidence.NONE, trial % 2 == 0);
            GroundingCheck.Result check = GroundingCheck.check(rationale.text(), cues);

            assertThat(check.contradictions()).as(rationale.text()).isEmpty();
            assertThat(sorted(check.claims())).as(rationale.text()).isEqualTo(sorted(rationale.claims()));
        }
    }

    @Test
    void beforeTheSpeakerIsKnownTheRationaleComparesWithTypicalSpeech() {
        List<CueReading> cues = List.of(new CueReading("pitch_mean_hz", 240, "Hz", 2.5, 165.0),
                new CueReading("loudness_dbfs", -26, "dBFS", 0.1, -26.0));

        Rationale rationale = RationaleWriter.write(ANGRY, cues, LexicalEvidence.NONE, false);

        assertThat(rationale.text()).isEqualTo("Pitch 45% above typical speech → angry.");
        assertThat(GroundingCheck.check(rationale.text(), cues).contradictions()).isEmpty();
    }

    @Test
    void beforeTheSpeakerIsKnownAVoiceWithinTheSpreadOfTypicalVoicesAndALinesLevelGoUnremarked() {
        // A low voice (1.3 SD below typical) on a quiet line (2.5 SD below): who speaks and on what line, not how.
        List<CueReading> lowAndQuiet = List.of(new CueReading("pitch_mean_hz", 100, "Hz", -1.3, 165.0),
                new CueReading("loudness_dbfs", -46, "dBFS", -2.5, -26.0));
        List<CueReading> withPace = new java.util.ArrayList<>(lowAndQuiet);
        withPace.add(new CueReading("speaking_rate_syl_per_s", 3.8, "syl/s", -0.2, 4.0));
        EmotionEstimate neutral = new EmotionEstimate("neutral", Map.of("neutral", 0.9, "sad", 0.1), 0, 0, 0.9);

        Rationale alone = RationaleWriter.write(neutral, lowAndQuiet, LexicalEvidence.NONE, false);
        Rationale paced = RationaleWriter.write(neutral, withPace, LexicalEvidence.NONE, false);

        assertThat(alone.text()).isEqualTo("Voice within the range of typical speakers → neutral.");
        assertThat(alone.claims()).isEmpty();
        assertThat(paced.text()).isEqualTo("Pace close to typical speech → neutral.");
        assertThat(GroundingCheck.check(paced.text(), withPace).contradictions()).isEmpty();
    }

    @Test
    void anUncertainEstimateNamesWhatIsMissingAndTheLabelsItCannotTellApart() {
        List<CueReading> cues = List.of(new CueReading("loudness_dbfs", -14, "dBFS", 2.4, -20.0),
                new CueReading("speaking_rate_syl_per_s", 6.0, "syllables/s", 2.0, 4.2),
                new CueReading("pitch_mean_hz", 210, "Hz", 0.4, 200.0));
        Map<String, Double> scores = new java.util.LinkedHashMap<>(Map.of("neutral", 0.05, "happy", 0.24, "sad", 0.0,
                "angry", 0.38, "surprised", 0.2, "fearful", 0.13, "disgusted", 0.0, "contemptuous", 0.0));
        EmotionEstimate uncertain = new EmotionEstimate("angry", scores, 0.9, -0.1, 0.38,
                Uncertainty.of(scores, List.of("valence unknown without words"), true));

        Rationale rationale = RationaleWriter.write(uncertain, cues, LexicalEvidence.NONE, true);

        assertThat(rationale.text()).isEqualTo("Loud (+6 dB) and fast (6.0 syllables/s), valence unknown without words"
                + " → uncertain (angry, happy or surprised).");
        GroundingCheck.Result check = GroundingCheck.check(rationale.text(), cues);
        assertThat(check.contradictions()).isEmpty();
        assertThat(sorted(check.claims())).isEqualTo(sorted(rationale.claims()));
    }

    @Test
    void wordsThatDisagreeWithTheVoiceGetASecondSentenceWhoseClaimsAreGroundedToo() {
        List<CueReading> cues = List.of(new CueReading("loudness_dbfs", -13, "dBFS", 2.5, -20.0),
                new CueReading("speaking_rate_syl_per_s", 5.6, "syllables/s", 1.5, 4.1),
                new CueReading("pitch_mean_hz", 250, "Hz", 2.0, 200.0));
        LexicalEvidence polite = new LexicalEvidence(0.62, List.of("thank", "great"), Map.of());
        WordsVoiceMismatch mismatch = new WordsVoiceMismatch("positive words ('thank', 'great')", "loud, fast, raised pitch",
                0.62, 0.8);

        Rationale rationale = RationaleWriter.write(ANGRY, cues, polite, true, mismatch);

        assertThat(rationale.text()).isEqualTo("Loud (+7 dB), pitch 25% above this speaker's usual and fast"
                + " (5.6 syllables/s), with 'thank' and 'great' → angry. Words and voice disagree: positive words"
                + " ('thank', 'great'), voice loud, fast, raised pitch.");
        GroundingCheck.Result check = GroundingCheck.check(rationale.text(), cues);
        assertThat(check.contradictions()).isEmpty();
        assertThat(sorted(check.claims())).isEqualTo(sorted(rationale.claims()));
    }

    @Test
    void quotedWordsAreNotProsodyClaimsAndOnlyMeasuredCuesAreSaidToBeUsual() {
        List<CueReading> noPitch = List.of(new CueReading("loudness_dbfs", -20, "dBFS", 0.2, -20.0),
                new CueReading("speaking_rate_syl_per_s", 4, "syllables/s", -0.3, 4.0));
        EmotionEstimate sad = new EmotionEstimate("sad", Map.of("sad", 1.0), -0.2, -0.5, 1);
        LexicalEvidence words = new LexicalEvidence(-0.5, List.of("hesitant", "slow"), Map.of());

        Rationale rationale = RationaleWriter.write(sad, noPitch, words, true);

        assertThat(rationale.text()).isEqualTo("Loudness and pace close to this speaker's usual, with 'hesitant' and 'slow' → sad.");
        GroundingCheck.Result check = GroundingCheck.check(rationale.text(), noPitch);
        assertThat(check.contradictions()).isEmpty();
        assertThat(sorted(check.claims())).isEqualTo(sorted(rationale.claims()));
    }

    @Test
    void aRationaleThatContradictsTheMeasurementsIsCaught() {
        List<CueReading> cues = List.of(new CueReading("pitch_mean_hz", 150, "Hz", -2.0, 200.0),
                new CueReading("speaking_rate_syl_per_s", 6, "syllables/s", 1.8, 4.0));

        GroundingCheck.Result check = GroundingCheck.check("Raised pitch, loud and fast, so the caller is angry.", cues);

        assertThat(check.claims()).extracting(Claim::cue)
                .containsExactlyInAnyOrder("pitch_mean_hz", "loudness_dbfs", "speaking_rate_syl_per_s");
        assertThat(check.contradictions()).containsExactlyInAnyOrder(
                "'raised pitch' but pitch_mean_hz is -2.0 SD from the speaker's usual",
                "'loud' but loudness_dbfs was not measured against a baseline");
        assertThat(check.groundingRate()).isCloseTo(1.0 / 3, org.assertj.core.api.Assertions.within(1e-9));
    }

    private static List<String> sorted(List<Claim> claims) {
        return claims.stream().map(c -> c.cue() + c.direction()).sorted(Comparator.naturalOrder()).toList();
    }
}
