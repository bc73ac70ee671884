package io.emostream.job.analysis;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.domain.DomainProfile;
import io.emostream.job.model.CueEvidence;
import io.emostream.job.model.CueReading;
import io.emostream.job.model.ModelInput;
import io.emostream.job.rationale.RationaleWriter;
import io.emostream.schema.WordsVoiceMismatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Flags words and voice that disagree strongly, the two cases a supervisor should hear about: positive or polite
 * words in a raised, angry-sounding voice (at least two of loud, fast and raised pitch, with high arousal), and
 * positive words said flatly ("great…" with flat intonation and low arousal). A flag, not a verdict, and the event's
 * label is then uncertain. Joy can be loud too: a raised voice with positive words is flagged only on a contact-centre
 * call, where a shouted "wonderful, thank you so much" is far likelier sarcasm than delight; on a podcast it is taken
 * as excitement (an engineering choice made on the tuning half of the acted set, docs/evaluation.md). Cues count as
 * {@link CueEvidence} lets them (a voice is not "loud" before the speaker's own level is known), and only those at
 * least {@link RationaleWriter#NOTABLE_Z} from usual are named, so every word about the voice is grounded. The
 * thresholds are engineering choices, not fitted to labelled speech.
 */
public final class WordsVoiceCheck {
    /** Words at least this positive (VADER compound) are positive or polite: "thank you" scores 0.36. */
    public static final double POSITIVE_WORDS = 0.3;
    /** A raised voice: arousal at least this high. */
    public static final double RAISED_AROUSAL = 0.5;
    /** A flat voice: arousal at most this low. */
    public static final double FLAT_AROUSAL = -0.3;
    private static final int WORDS_NAMED = 2;
    /** What a flagged utterance's uncertainty names as missing. */
    public static final String DOUBT = "words and voice disagree";

    /** How the flag names a cue that is notably off usual. */
    private record Said(String cue, String word) {
    }

    private static final List<Said> RAISED = List.of(new Said(AcousticCues.LOUDNESS_DBFS, "loud"),
            new Said(AcousticCues.SPEAKING_RATE_SYL_PER_S, "fast"), new Said(AcousticCues.PITCH_MEAN_HZ, "raised pitch"));
    private static final List<Said> FLAT = List.of(new Said(AcousticCues.PITCH_RANGE_ST, "flat intonation"),
            new Said(AcousticCues.LOUDNESS_DBFS, "quiet"), new Said(AcousticCues.SPEAKING_RATE_SYL_PER_S, "slow"));

    private WordsVoiceCheck() {
    }

    /**
     * @param voiceArousal the arousal the model heard, -1 to 1
     * @param domain       where the utterance was said; a raised voice contradicts positive words only in a contact
     *                     centre
     * @return the disagreement, or null when there is none, no transcript, or no sentiment in the words
     */
    public static WordsVoiceMismatch check(ModelInput input, double voiceArousal, DomainProfile domain) {
        if (!input.hasWords() || input.lexical().valenceWords().isEmpty() || input.lexical().valence() < POSITIVE_WORDS) {
            return null;
        }
        List<String> raised = named(input, RAISED, 1);
        List<String> flat = named(input, FLAT, -1);
        String voice;
        if (domain == DomainProfile.CONTACT_CENTRE && voiceArousal >= RAISED_AROUSAL && raised.size() >= 2) {
            voice = String.join(", ", raised);
        } else if (voiceArousal <= FLAT_AROUSAL && flat.contains("flat intonation")) {
            voice = String.join(", ", flat);
        } else {
            return null;
        }
        String words = String.format(Locale.ROOT, "positive words (%s)", String.join(", ",
                input.lexical().valenceWords().stream().limit(WORDS_NAMED).map(w -> "'" + w + "'").toList()));
        return new WordsVoiceMismatch(words, voice, input.lexical().valence(), voiceArousal);
    }

    /** The words for the cues that are notably off usual in this direction, in the list's order. */
    private static List<String> named(ModelInput input, List<Said> said, int direction) {
        List<String> named = new ArrayList<>();
        for (Said way : said) {
            CueReading cue = input.cue(way.cue());
            if (cue != null && direction * CueEvidence.z(cue, input.knowsSpeaker()) >= RationaleWriter.NOTABLE_Z) {
                named.add(way.word());
            }
        }
        return named;
    }
}
