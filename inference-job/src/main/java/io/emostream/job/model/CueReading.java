package io.emostream.job.model;

import java.io.Serializable;

/**
 * One measured cue as a model and a rationale see it.
 *
 * @param zScore how far from the speaker's usual, in standard deviations; null where no baseline applies
 * @param usual  the speaker's usual value of this cue (baseline mean), null where there is none
 */
public record CueReading(String name, double value, String unit, Double zScore, Double usual) implements Serializable {

    /** The z-score, or 0 when there is none: "not known to differ from usual". */
    public double z() {
        return zScore == null || zScore.isNaN() ? 0.0 : zScore;
    }
}
