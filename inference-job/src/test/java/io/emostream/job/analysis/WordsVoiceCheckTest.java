package io.emostream.job.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.job.domain.DomainProfile;
import io.emostream.job.model.CueReading;
import io.emostream.job.model.LabelPrior;
import io.emostream.job.model.LabelSet;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.schema.WordsVoiceMismatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Words and voice that disagree: polite words shouted, "great" said flatly; and the many cases that are no flag. */
class WordsVoiceCheckTest {
    private static final LexicalEvidence POLITE = new LexicalEvidence(0.62, List.of("thank", "great"), Map.of());
    private static final LexicalEvidence ANGRY = new LexicalEvidence(-0.6, List.of("ridiculous"), Map.of());

    /** Loudness, rate, pitch and pitch range at these z-scores. */
    private static List<CueReading> voice(double loudness, double rate, double pitch, double range) {
        return List.of(new CueReading("loudness_dbfs", -20 + 3 * loudness, "dBFS", loudness, -20.0),
                new CueReading("speaking_rate_syl_per_s", 4 + rate, "syl/s", rate, 4.0),
                new CueReading("pitch_mean_hz", 200 + 20 * pitch, "Hz", pitch, 200.0),
                new CueReading("pitch_range_st", 6 + 2 * range, "st", range, 6.0));
    }

    private static ModelInput heard(List<CueReading> cues, LexicalEvidence words, String transcript, boolean knowsSpeaker) {
        return new ModelInput("u", new float[0], cues, words, transcript, knowsSpeaker, LabelPrior.uniform(LabelSet.MSP_PODCAST));
    }

    private static final DomainProfile CC = DomainProfile.CONTACT_CENTRE;

    @Test
    void aRaisedVoiceWithPositiveWordsIsExcitementOnAPodcastButFlatPraiseIsFlaggedEverywhere() {
        assertThat(WordsVoiceCheck.check(heard(voice(2.5, 1.5, 2.0, 0.5), POLITE, "Thank you, that's just great.", true),
                0.8, DomainProfile.PODCAST)).isNull();
        assertThat(WordsVoiceCheck.check(heard(voice(-1.2, -0.4, -0.5, -2.0), new LexicalEvidence(0.62, List.of("great"),
                Map.of()), "Great.", true), -0.45, DomainProfile.PODCAST)).isNotNull();
    }

    @Test
    void politeWordsInALoudFastRaisedVoiceAreFlagged() {
        WordsVoiceMismatch mismatch = WordsVoiceCheck.check(
                heard(voice(2.5, 1.5, 2.0, 0.5), POLITE, "Thank you, that's just great.", true), 0.8, CC);

        assertThat(mismatch).isEqualTo(new WordsVoiceMismatch("positive words ('thank', 'great')",
                "loud, fast, raised pitch", 0.62, 0.8));
    }

    @Test
    void greatSaidFlatlyIsFlagged() {
        WordsVoiceMismatch mismatch = WordsVoiceCheck.check(
                heard(voice(-1.2, -0.4, -0.5, -2.0), new LexicalEvidence(0.62, List.of("great"), Map.of()), "Great.", true),
                -0.45, CC);

        assertThat(mismatch).isEqualTo(new WordsVoiceMismatch("positive words ('great')", "flat intonation, quiet",
                0.62, -0.45));
    }

    @Test
    void wordsAndVoiceThatAgreeOrSayTooLittleAreNoFlag() {
        List<CueReading> shouted = voice(2.5, 1.5, 2.0, 0.5);

        assertThat(WordsVoiceCheck.check(heard(shouted, ANGRY, "This is ridiculous.", true), 0.8, CC))
                .as("angry words, angry voice").isNull();
        assertThat(WordsVoiceCheck.check(heard(voice(0, 0, 0, 0), POLITE, "Thank you, great.", true), 0.0, CC))
                .as("polite words, usual voice").isNull();
        assertThat(WordsVoiceCheck.check(heard(shouted, POLITE, null, true), 0.8, CC))
                .as("no transcript: nothing to compare").isNull();
        assertThat(WordsVoiceCheck.check(heard(shouted, new LexicalEvidence(0.0, List.of(), Map.of()), "I see.", true), 0.8, CC))
                .as("words without sentiment").isNull();
        assertThat(WordsVoiceCheck.check(heard(voice(2.5, 0.2, 0.3, 0.5), POLITE, "Thank you, great.", true), 0.6, CC))
                .as("loud alone is not an angry voice").isNull();
        assertThat(WordsVoiceCheck.check(heard(voice(-1.2, -0.4, -0.5, -0.2), POLITE, "Thank you, great.", true), -0.45, CC))
                .as("quiet but not flat").isNull();
        assertThat(WordsVoiceCheck.check(heard(voice(2.5, 1.5, 2.0, 0.5), new LexicalEvidence(0.25, List.of("okay"), Map.of()),
                "Okay.", true), 0.8, CC)).as("words barely positive").isNull();
    }

    @Test
    void beforeTheSpeakerIsKnownTheLevelSaysNothingAndTheRestMustStandOutFromTypicalSpeech() {
        // Loud by 2.5 SD of typical speech, fast by 1.5, raised pitch by 2: only the pitch is beyond 1 SD past typical.
        assertThat(WordsVoiceCheck.check(heard(voice(2.5, 1.5, 2.0, 0.5), POLITE, "Thank you, great.", false), 0.8, CC)).isNull();
        assertThat(WordsVoiceCheck.check(heard(voice(2.5, 2.5, 2.2, 0.5), POLITE, "Thank you, great.", false), 0.8, CC))
                .extracting(WordsVoiceMismatch::getVoice).isEqualTo("fast, raised pitch");
    }
}
