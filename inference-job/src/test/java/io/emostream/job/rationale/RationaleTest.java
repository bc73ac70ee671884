package io.emostream.job.rationale;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.LexicalEvidence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RationaleTest {
    private static final EmotionEstimate ANGRY = new EmotionEstimate("angry", Map.of("angry", 0.7, "neutral", 0.3), 0.7, -0.6, 0.7);

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
            Rationale rationale = RationaleWriter.write(ANGRY, cues, LexicalEvidence.NONE, trial % 2 == 0);
            GroundingCheck.Result check = GroundingCheck.check(rationale.text(), cues);

            assertThat(check.contradictions()).as(rationale.text()).isEmpty();
            assertThat(sorted(check.claims())).as(rationale.text()).isEqualTo(sorted(rationale.claims()));
        }
    }

    @Test
    void beforeTheSpeakerIsKnownTheRationaleComparesWithTypicalSpeech() {
        List<CueReading> cues = List.of(new CueReading("pitch_mean_hz", 240, "Hz", 1.5, 165.0),
                new CueReading("loudness_dbfs", -26, "dBFS", 0.1, -26.0));

        Rationale rationale = RationaleWriter.write(ANGRY, cues, LexicalEvidence.NONE, false);

        assertThat(rationale.text()).isEqualTo("Pitch 45% above typical speech → angry.");
        assertThat(GroundingCheck.check(rationale.text(), cues).contradictions()).isEmpty();
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
