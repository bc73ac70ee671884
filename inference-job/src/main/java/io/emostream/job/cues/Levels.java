package io.emostream.job.cues;

/** Decibel levels and the one silence rule every cue uses, so that "silent" means the same in each of them. */
final class Levels {
    /**
     * Below this a frame is silence however quiet the utterance: around the noise floor of a quiet recording chain,
     * far under any speech a call or podcast carries.
     */
    static final double ABSOLUTE_FLOOR_DBFS = -70;
    /** de Jong &amp; Wempe (2009) take as silence what lies 25 dB or more below the 0.99 intensity quantile. */
    static final double SILENCE_BELOW_PEAK_DB = 25;
    /** Mean square given to digital silence (−120 dBFS), so that no logarithm ever sees zero. */
    private static final double MIN_MEAN_SQUARE = 1e-12;

    private Levels() {
    }

    /** dBFS of a mean square: a full-scale square wave is 0 dBFS, a full-scale sine −3.01 dBFS. */
    static double dbfs(double meanSquare) {
        return 10 * Math.log10(Math.max(meanSquare, MIN_MEAN_SQUARE));
    }

    /**
     * The level under which a frame counts as silence: 25 dB below the 0.99 quantile of the frame levels, but never
     * under the absolute floor, nor above the 0.99 quantile itself, so that the loudest frames always count as sound.
     */
    static double silenceFloor(double[] levelsDb, int count) {
        double peak = Statistics.percentile(levelsDb, count, 99);
        return Math.min(peak, Math.max(peak - SILENCE_BELOW_PEAK_DB, ABSOLUTE_FLOOR_DBFS));
    }
}
