package io.emostream.job.cues;

/**
 * How loud an utterance is where it holds sound, and how much of it is pauses, from 20 ms frames every 10 ms.
 *
 * <p>A frame is silent below {@link Levels#silenceFloor}. A pause is a run of silent frames covering at least
 * 150 ms between the first and the last sounding frame; silence before and after the speech is the segmenter's
 * padding, not a pause. Speech time is the stretch from the first to the last sounding frame less its pauses.
 *
 * @param loudnessDbfs     level of the sounding frames together: their mean square in dBFS, so a steady tone reads
 *                         its RMS level (a full-scale sine −3.01 dBFS); like ITU-T P.56's active speech level in
 *                         spirit, with a simpler activity rule
 * @param loudnessPeakDbfs the 95th percentile of the sounding frames' levels
 * @param speechSeconds    time from the first to the last sounding frame, pauses excluded
 * @param pauseSeconds     time in pauses
 */
record SpeechActivity(double loudnessDbfs, double loudnessPeakDbfs, double speechSeconds, double pauseSeconds) {
    static final int FRAME = 320;
    private static final int HOP = PitchTracker.HOP;
    /** Shorter silences are stop closures and the gaps between words, not pauses (de Jong &amp; Wempe use 0.3 s). */
    static final double MIN_PAUSE_SECONDS = 0.15;
    /** A run of m silent frames covers (m + 1) hops of silence. */
    private static final int MIN_PAUSE_FRAMES =
            (int) Math.round(MIN_PAUSE_SECONDS * PitchTracker.SAMPLE_RATE / HOP) - 1;

    static SpeechActivity of(float[] samples) {
        if (samples.length < FRAME) {
            throw new IllegalArgumentException("An utterance must hold at least " + FRAME
                    + " samples (20 ms at 16 kHz) to be measured, got " + samples.length + ".");
        }
        int frames = (samples.length - FRAME) / HOP + 1;
        double[] meanSquares = new double[frames];
        double[] levels = new double[frames];
        for (int i = 0; i < frames; i++) {
            double sum = 0;
            for (int j = i * HOP; j < i * HOP + FRAME; j++) {
                sum += (double) samples[j] * samples[j];
            }
            meanSquares[i] = sum / FRAME;
            levels[i] = Levels.dbfs(meanSquares[i]);
        }
        double floor = Levels.silenceFloor(levels, frames);

        double[] soundingLevels = new double[frames];
        int sounding = 0;
        double soundingEnergy = 0;
        int first = -1;
        int last = -1;
        for (int i = 0; i < frames; i++) {
            if (levels[i] >= floor) {
                soundingLevels[sounding++] = levels[i];
                soundingEnergy += meanSquares[i];
                first = first < 0 ? i : first;
                last = i;
            }
        }
        int pauseHops = 0;
        int silentRun = 0;
        for (int i = first; i <= last; i++) {
            if (levels[i] < floor) {
                silentRun++;
            } else {
                if (silentRun >= MIN_PAUSE_FRAMES) {
                    pauseHops += silentRun + 1;
                }
                silentRun = 0;
            }
        }
        double hopSeconds = (double) HOP / PitchTracker.SAMPLE_RATE;
        double span = ((last - first) * HOP + FRAME) / (double) PitchTracker.SAMPLE_RATE;
        double pauseSeconds = pauseHops * hopSeconds;
        return new SpeechActivity(Levels.dbfs(soundingEnergy / sounding),
                Statistics.percentile(soundingLevels, sounding, 95), span - pauseSeconds, pauseSeconds);
    }

    /** Share of the spoken stretch, first to last sounding frame, that is pauses. */
    double pauseRatio() {
        return pauseSeconds / (speechSeconds + pauseSeconds);
    }
}
