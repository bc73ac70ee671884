package io.emostream.job.model;

import io.emostream.job.cues.AcousticCues;

/**
 * How much a measured cue says about the speaker's emotion, as against who the speaker is: the rule that keeps
 * baselines from inventing emotions. Against the speaker's own usual (once {@code SpeakerBaseline} has heard about a
 * sentence of them, {@code KNOWN_AFTER_SECONDS}) a cue's z-score counts as measured. Before that, the z-score compares the utterance with typical
 * speech, and so mixes the person with the moment:
 * <ul>
 * <li>a low-pitched, slow or monotonous voice is mostly a low-pitched, slow or monotonous person, so only the part
 * of a z-score beyond {@link #TYPICAL_SPREAD_Z} counts (speech within the spread of typical voices is neutral
 * evidence), and it counts {@link #TYPICAL_RELIABILITY} as much;</li>
 * <li>the level (loudness) does not count at all: it differs from line to line with the gain, the codec and the
 * distance to the microphone, so a quiet line is not a sad speaker until the speaker's own level is known.</li>
 * </ul>
 * Both figures are engineering choices: the population priors' spreads already span most adult voices, and no
 * labelled speech was at hand to fit them.
 */
public final class CueEvidence {
    /** How far from typical speech, in its standard deviations, a cue must be before it says anything. */
    public static final double TYPICAL_SPREAD_Z = 1.0;
    /** The weight of a cue measured against typical speech, relative to one against the speaker's own usual. */
    public static final double TYPICAL_RELIABILITY = 0.5;

    private CueEvidence() {
    }

    /** The z-score the cue contributes as evidence; 0 where it contributes none. */
    public static double z(CueReading cue, boolean knowsSpeaker) {
        double z = cue.z();
        if (knowsSpeaker) {
            return z;
        }
        if (isLevel(cue.name())) {
            return 0.0;
        }
        return Math.signum(z) * Math.max(0.0, Math.abs(z) - TYPICAL_SPREAD_Z);
    }

    /** How much the cue's evidence weighs: 1 against the speaker's own usual, less or nothing before that. */
    public static double reliability(CueReading cue, boolean knowsSpeaker) {
        if (cue.zScore() == null || cue.zScore().isNaN()) {
            return 0.0;
        }
        if (knowsSpeaker) {
            return 1.0;
        }
        return isLevel(cue.name()) ? 0.0 : TYPICAL_RELIABILITY;
    }

    private static boolean isLevel(String cue) {
        return cue.equals(AcousticCues.LOUDNESS_DBFS) || cue.equals(AcousticCues.LOUDNESS_PEAK_DBFS);
    }
}
