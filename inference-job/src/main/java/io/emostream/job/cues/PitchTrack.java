package io.emostream.job.cues;

/**
 * The fundamental frequency of one utterance, one value per hop.
 *
 * @param timesSeconds the centre of each hop, from the utterance's first sample: hop {@code k} stands for the
 *                     samples {@code [k·hop, (k+1)·hop)} and sits at {@code (k + 0.5)·hopSeconds}
 * @param f0Hz         F0 of each hop, NaN where the hop is unvoiced or silent
 * @param hopSeconds   the time between hops
 */
public record PitchTrack(double[] timesSeconds, double[] f0Hz, double hopSeconds) {

    public PitchTrack {
        if (timesSeconds.length != f0Hz.length) {
            throw new IllegalArgumentException("A pitch track needs one time per F0 value, got " + timesSeconds.length
                    + " times and " + f0Hz.length + " values.");
        }
    }

    public int frameCount() {
        return f0Hz.length;
    }

    public boolean isVoiced(int frame) {
        return !Double.isNaN(f0Hz[frame]);
    }

    public int voicedCount() {
        int voiced = 0;
        for (double f0 : f0Hz) {
            if (!Double.isNaN(f0)) {
                voiced++;
            }
        }
        return voiced;
    }

    /** Voiced hops over all hops; 0 for an empty track. */
    public double voicedRatio() {
        return f0Hz.length == 0 ? 0 : (double) voicedCount() / f0Hz.length;
    }
}
