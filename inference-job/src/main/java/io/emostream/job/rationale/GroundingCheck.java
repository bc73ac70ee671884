package io.emostream.job.rationale;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.model.CueReading;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the prosody claims out of a rationale's text ("raised pitch", "loud", "slow", "flat intonation") and
 * checks each against the measured cue: a claim of "above usual" needs a positive z-score, "below" a negative
 * one, "close to usual" a small one. Works on any text, so a SpeechLM's rationale can be checked the same way.
 */
public final class GroundingCheck {
    /** The cues a "… close to usual" claim can name, and the word that names each. */
    static final Map<String, String> USUAL_CUES = orderedUsualCues();
    /** A directional claim holds when the cue is at least this far from usual in its direction. */
    static final double MIN_Z_FOR_DIRECTION = 0.5;

    private record Pattern3(Pattern pattern, String cue, int direction) {
    }

    private static final List<Pattern3> PATTERNS = List.of(
            p("pitch \\d+% above|(raised|higher|high) pitch|pitch (is |was )?(raised|higher)", AcousticCues.PITCH_MEAN_HZ, 1),
            p("pitch \\d+% below|(lowered|lower|low) pitch|pitch (is |was )?(lowered|lower)", AcousticCues.PITCH_MEAN_HZ, -1),
            p("\\bloud(er)?\\b", AcousticCues.LOUDNESS_DBFS, 1),
            p("\\bquiet(er)?\\b|\\bsoft(ly|er)?\\b", AcousticCues.LOUDNESS_DBFS, -1),
            p("\\bfast(er)?\\b|\\brapid(ly)?\\b|\\bquick(ly)?\\b", AcousticCues.SPEAKING_RATE_SYL_PER_S, 1),
            p("\\bslow(ly|er)?\\b", AcousticCues.SPEAKING_RATE_SYL_PER_S, -1),
            p("lively intonation|wide pitch range|animated", AcousticCues.PITCH_RANGE_ST, 1),
            p("flat intonation|monotone|narrow pitch range", AcousticCues.PITCH_RANGE_ST, -1),
            p("rising (pitch|intonation)", AcousticCues.PITCH_SLOPE_ST_PER_S, 1),
            p("falling (pitch|intonation)", AcousticCues.PITCH_SLOPE_ST_PER_S, -1),
            p("long pauses|many pauses|hesitant", AcousticCues.PAUSE_RATIO, 1));
    private static final Pattern CLOSE_TO_USUAL = Pattern.compile(
            "((?:pitch|loudness|pace)(?:(?:, | and )(?:pitch|loudness|pace))*) close to ((this|the) speaker's usual|typical speech)");
    /** Quoted words are what the speaker said, not claims about how it sounded. */
    private static final Pattern QUOTED = Pattern.compile("(?<!\\p{L})'[^']*'");

    /** The claims found, and those the measurements contradict or cannot support. */
    public record Result(List<Claim> claims, List<String> contradictions) {
        /** Share of claims the measurements support; 1 when the text makes none. */
        public double groundingRate() {
            return claims.isEmpty() ? 1.0 : 1.0 - (double) contradictions.size() / claims.size();
        }
    }

    private GroundingCheck() {
    }

    public static Result check(String rationale, List<CueReading> cues) {
        String text = QUOTED.matcher(rationale.toLowerCase(Locale.ROOT)).replaceAll("''");
        List<Claim> claims = new ArrayList<>();
        for (Pattern3 p : PATTERNS) {
            Matcher m = p.pattern().matcher(text);
            while (m.find()) {
                claims.add(new Claim(p.cue(), p.direction(), m.group()));
            }
        }
        Matcher usual = CLOSE_TO_USUAL.matcher(text);
        while (usual.find()) {
            String named = usual.group(1);
            USUAL_CUES.forEach((cue, word) -> {
                if (named.contains(word)) {
                    claims.add(new Claim(cue, 0, word + " close to usual"));
                }
            });
        }
        List<String> contradictions = new ArrayList<>();
        for (Claim claim : claims) {
            CueReading cue = cues.stream().filter(c -> c.name().equals(claim.cue())).findFirst().orElse(null);
            if (cue == null || cue.zScore() == null || cue.zScore().isNaN()) {
                contradictions.add("'" + claim.phrase() + "' but " + claim.cue() + " was not measured against a baseline");
            } else if (!holds(claim.direction(), cue.z())) {
                contradictions.add(String.format(Locale.ROOT, "'%s' but %s is %+.1f SD from the speaker's usual",
                        claim.phrase(), claim.cue(), cue.z()));
            }
        }
        return new Result(claims, contradictions);
    }

    private static boolean holds(int direction, double z) {
        return direction == 0 ? Math.abs(z) < RationaleWriter.NOTABLE_Z : direction * z >= MIN_Z_FOR_DIRECTION;
    }

    private static Map<String, String> orderedUsualCues() {
        Map<String, String> words = new LinkedHashMap<>();
        words.put(AcousticCues.PITCH_MEAN_HZ, "pitch");
        words.put(AcousticCues.LOUDNESS_DBFS, "loudness");
        words.put(AcousticCues.SPEAKING_RATE_SYL_PER_S, "pace");
        return Collections.unmodifiableMap(words);
    }

    private static Pattern3 p(String regex, String cue, int direction) {
        return new Pattern3(Pattern.compile(regex), cue, direction);
    }
}
