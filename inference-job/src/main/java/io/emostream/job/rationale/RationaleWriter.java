package io.emostream.job.rationale;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.model.CueEvidence;
import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.Uncertainty;
import io.emostream.schema.WordsVoiceMismatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Writes the rationale of an estimate from what was actually measured, e.g. "Pitch 35% above this speaker's usual,
 * loud (+6 dB) and fast (5.8 syllables/s), with 'ridiculous' and 'cancel' → angry." Only cues that count as evidence
 * ({@link CueEvidence}) and lie at least {@link #NOTABLE_Z} standard deviations from usual are mentioned, the
 * strongest first, so every claim holds by construction; {@link GroundingCheck} verifies it from the text. When the
 * estimate is uncertain, the sentence names what the model lacked and the labels it could not tell apart: "Loud
 * (+8 dB) and fast (6.1 syllables/s), valence unknown without words → uncertain (angry, happy or surprised)." When
 * the words and the voice disagree, a second sentence says so.
 */
public final class RationaleWriter {
    /** How unusual a cue must be to be worth a word. */
    public static final double NOTABLE_Z = 1.0;
    /** How events name this writer in their field sources. */
    public static final String ID = "rationale-writer/1";
    private static final int MAX_CUES = 3;
    private static final int MAX_WORDS = 2;

    private RationaleWriter() {
    }

    /**
     * @param knowsSpeaker whether the baseline rests on this speaker's own speech; until then cues are compared
     *                     with typical speech, and the rationale says so
     */
    public static Rationale write(EmotionEstimate estimate, List<CueReading> cues, LexicalEvidence lexical,
                                  boolean knowsSpeaker) {
        return write(estimate, cues, lexical, knowsSpeaker, null);
    }

    /** @param mismatch where words and voice disagree, what each says; null when they do not */
    public static Rationale write(EmotionEstimate estimate, List<CueReading> cues, LexicalEvidence lexical,
                                  boolean knowsSpeaker, WordsVoiceMismatch mismatch) {
        String usual = knowsSpeaker ? "this speaker's usual" : "typical speech";
        List<Claim> claims = new ArrayList<>();
        cues.stream()
                .filter(cue -> Math.abs(CueEvidence.z(cue, knowsSpeaker)) >= NOTABLE_Z && phrase(cue, usual) != null)
                .sorted(Comparator.comparingDouble((CueReading cue) -> -Math.abs(cue.z())))
                .limit(MAX_CUES)
                .forEach(cue -> claims.add(new Claim(cue.name(), (int) Math.signum(cue.z()), phrase(cue, usual))));
        List<String> words = words(estimate.label(), lexical);
        StringBuilder text = new StringBuilder();
        if (claims.isEmpty()) {
            // Name exactly the cues measured close to usual, so the claim can be checked for each; a cue further off
            // that does not count yet (a voice's register, a line's level, before the speaker is known) goes unnamed.
            List<String> close = new ArrayList<>();
            GroundingCheck.USUAL_CUES.forEach((cue, word) -> {
                if (cues.stream().anyMatch(c -> c.name().equals(cue) && c.zScore() != null && Math.abs(c.z()) < NOTABLE_Z)) {
                    close.add(word);
                    claims.add(new Claim(cue, 0, word + " close to " + usual));
                }
            });
            boolean measured = cues.stream().anyMatch(c -> GroundingCheck.USUAL_CUES.containsKey(c.name()));
            if (!close.isEmpty()) {
                text.append(joined(close)).append(" close to ").append(usual);
            } else {
                text.append(measured ? "Voice within the range of typical speakers" : "Nothing measurable in the voice");
            }
        } else {
            text.append(joined(claims.stream().map(Claim::phrase).toList()));
        }
        text.setCharAt(0, Character.toUpperCase(text.charAt(0)));
        if (!words.isEmpty()) {
            text.append(", with ").append(joined(words.stream().map(w -> "'" + w + "'").toList()));
        }
        Uncertainty uncertainty = estimate.uncertainty();
        if (uncertainty.uncertain()) {
            uncertainty.missing().forEach(missing -> text.append(", ").append(missing));
            text.append(" → uncertain (").append(joined(uncertainty.closeLabels(), " or ")).append(").");
        } else {
            text.append(" → ").append(estimate.label()).append('.');
        }
        if (mismatch != null) {
            String disagreement = " Words and voice disagree: " + mismatch.getWords() + ", voice " + mismatch.getVoice() + ".";
            text.append(disagreement);
            // The flag names cues too ("loud, fast"): its claims are the rationale's, to be checked like the rest.
            claims.addAll(GroundingCheck.check(disagreement, cues).claims());
        }
        return new Rationale(text.toString(), claims);
    }

    /** Keywords of the chosen emotion, else the words that carried the valence when it is clear. */
    private static List<String> words(String label, LexicalEvidence lexical) {
        List<String> keywords = lexical.keywords().getOrDefault(label, List.of());
        if (!keywords.isEmpty()) {
            return keywords.stream().limit(MAX_WORDS).toList();
        }
        return Math.abs(lexical.valence()) >= 0.3 ? lexical.valenceWords().stream().limit(MAX_WORDS).toList() : List.of();
    }

    /** How the rationale says this cue is unusual; null for cues it does not talk about. */
    static String phrase(CueReading cue, String usual) {
        boolean up = cue.z() > 0;
        return switch (cue.name()) {
            case AcousticCues.PITCH_MEAN_HZ -> cue.usual() != null && cue.usual() > 0
                    ? String.format(Locale.ROOT, "pitch %d%% %s %s",
                            Math.round(Math.abs(cue.value() / cue.usual() - 1) * 100), up ? "above" : "below", usual)
                    : (up ? "raised pitch" : "lowered pitch");
            case AcousticCues.LOUDNESS_DBFS -> cue.usual() != null
                    ? String.format(Locale.ROOT, "%s (%+.0f dB)", up ? "loud" : "quiet", cue.value() - cue.usual())
                    : (up ? "loud" : "quiet");
            case AcousticCues.SPEAKING_RATE_SYL_PER_S -> String.format(Locale.ROOT, "%s (%.1f syllables/s)", up ? "fast" : "slow", cue.value());
            case AcousticCues.PITCH_RANGE_ST -> String.format(Locale.ROOT, "%s intonation (%.0f semitone%s)", up ? "lively" : "flat",
                    cue.value(), Math.round(cue.value()) == 1 ? "" : "s");
            case AcousticCues.PITCH_SLOPE_ST_PER_S -> up ? "rising pitch" : "falling pitch";
            case AcousticCues.PAUSE_RATIO -> up ? String.format(Locale.ROOT, "long pauses (%.0f%% of the time)", cue.value() * 100) : null;
            default -> null;
        };
    }

    private static String joined(List<String> parts) {
        return joined(parts, " and ");
    }

    private static String joined(List<String> parts, String last) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + last + parts.get(parts.size() - 1);
    }
}
