package io.emostream.job.model.logmel;

import io.emostream.job.model.logmel.LogMelSettings.Normalize;
import io.emostream.job.model.logmel.LogMelSettings.PadMode;
import io.emostream.job.model.logmel.LogMelSettings.Window;
import java.util.Arrays;

/**
 * Log-mel features of 16 kHz audio, computed in double as the front end named by {@link LogMelSettings} computes them.
 * For each frame:
 * <ol>
 *   <li>framing — torch.stft (torchaudio, Whisper): with {@code center} the signal is padded by nFft/2 on both sides
 *       (reflected, or zeros with padMode constant); frame t holds nFft samples from t·hop and the window covers its
 *       middle windowLength samples. Kaldi: frame t is the windowLength samples from t·hop, only frames that fit
 *       (snip_edges), padded with zeros to nFft after the steps below;</li>
 *   <li>samples times inputScale, then, where set, the frame's mean removed and pre-emphasis
 *       x[i] − p·x[i−1] (x[0] − p·x[0]), as Kaldi does per frame;</li>
 *   <li>the window: periodic with torch.stft framing (torch.hann_window's default), symmetric with Kaldi's;
 *       povey is Kaldi's hann to the power 0.85;</li>
 *   <li>|FFT|² (power 2) or |FFT| (power 1) over nFft points, then the mel filters ({@link MelFilterBank});</li>
 *   <li>log(max(mel + offset, floor)) in ln, log10 or dB (10·log10), or no log.</li>
 * </ol>
 * Then over the utterance: Whisper's last frame dropped (dropLastFrame); values below the maximum minus dynamicRange
 * raised to it; and normalize: whisper (x + 4) / 4, per-utterance (each mel bin minus its mean over the frames,
 * divided by its standard deviation, population form; a bin with none is only centred) or per-utterance-mean.
 * Holds its buffers: one instance serves one thread.
 */
public final class LogMel {
    private final LogMelSettings settings;
    private final RealFft fft;
    private final double[] window;
    private final double[][] filters;
    /** The first and one past the last spectrum bin where each mel filter is non-zero. */
    private final int[] filterFrom;
    private final int[] filterTo;
    private final double[] frame;
    private final double[] spectrum;

    public LogMel(LogMelSettings settings) {
        this.settings = settings;
        fft = new RealFft(settings.nFft());
        window = window(settings.window(), settings.windowLength(), !settings.kaldiFraming());
        filters = MelFilterBank.weights(settings);
        filterFrom = new int[filters.length];
        filterTo = new int[filters.length];
        for (int m = 0; m < filters.length; m++) {
            int from = 0;
            while (from < filters[m].length && filters[m][from] == 0) {
                from++;
            }
            int to = filters[m].length;
            while (to > from && filters[m][to - 1] == 0) {
                to--;
            }
            filterFrom[m] = from;
            filterTo[m] = to;
        }
        frame = new double[settings.nFft()];
        spectrum = new double[settings.nFft() / 2 + 1];
    }

    public LogMelSettings settings() {
        return settings;
    }

    /** How many frames {@code samples} samples give. */
    public int frames(int samples) {
        int frames;
        if (settings.kaldiFraming()) {
            frames = samples < settings.windowLength() ? 0 : 1 + (samples - settings.windowLength()) / settings.hop();
        } else {
            int padded = settings.center() ? samples + 2 * (settings.nFft() / 2) : samples;
            frames = samples == 0 || padded < settings.nFft() ? 0 : 1 + (padded - settings.nFft()) / settings.hop();
        }
        return Math.max(0, frames - (settings.dropLastFrame() ? 1 : 0));
    }

    /** The fewest samples (at least 1) that give {@code frames} frames. */
    public int samplesFor(int frames) {
        if (frames <= 0) {
            return 1;
        }
        int needed = frames - 1 + (settings.dropLastFrame() ? 1 : 0);
        int samples;
        if (settings.kaldiFraming()) {
            samples = needed * settings.hop() + settings.windowLength();
        } else {
            // Centring adds nFft/2 on each side: an even nFft then needs no samples for the first frame, an odd one 1.
            int first = settings.center() ? settings.nFft() % 2 : settings.nFft();
            samples = needed * settings.hop() + first;
        }
        return Math.max(1, samples);
    }

    /** The features of {@code samples[0..length)}, [frames][melBins]. */
    public float[][] compute(float[] samples, int length) {
        int frames = frames(length);
        double[][] features = new double[frames][settings.melBins()];
        int pad = !settings.kaldiFraming() && settings.center() ? settings.nFft() / 2 : 0;
        // torch.stft centres the window in the nFft-sample frame; Kaldi's frame is the window.
        int offset = settings.kaldiFraming() ? 0 : (settings.nFft() - settings.windowLength()) / 2;
        for (int t = 0; t < frames; t++) {
            int start = t * settings.hop() + offset - pad;
            int span = settings.windowLength();
            boolean silent = true;
            for (int i = 0; i < span; i++) {
                frame[i] = sample(samples, length, start + i) * settings.inputScale();
                silent &= frame[i] == 0;
            }
            if (silent) {
                // Every step below keeps zeros zero; Whisper's 30 s of padding is mostly such frames.
                Arrays.fill(features[t], log(0));
                continue;
            }
            if (settings.removeDcOffset()) {
                double mean = 0;
                for (int i = 0; i < span; i++) {
                    mean += frame[i];
                }
                mean /= span;
                for (int i = 0; i < span; i++) {
                    frame[i] -= mean;
                }
            }
            if (settings.preemphasis() > 0) {
                for (int i = span - 1; i > 0; i--) {
                    frame[i] -= settings.preemphasis() * frame[i - 1];
                }
                frame[0] -= settings.preemphasis() * frame[0];
            }
            for (int i = 0; i < span; i++) {
                frame[i] *= window[i];
            }
            // The window sits at the frame's start here, not in its middle: a shift only turns the phase.
            Arrays.fill(frame, span, frame.length, 0);
            fft.power(frame, spectrum);
            for (int m = 0; m < features[t].length; m++) {
                double energy = 0;
                for (int k = filterFrom[m]; k < filterTo[m]; k++) {
                    double value = settings.power() == 2 ? spectrum[k] : Math.sqrt(spectrum[k]);
                    energy += filters[m][k] * value;
                }
                features[t][m] = log(energy);
            }
        }
        limitDynamicRange(features);
        normalize(features);
        float[][] result = new float[frames][settings.melBins()];
        for (int t = 0; t < frames; t++) {
            for (int m = 0; m < result[t].length; m++) {
                result[t][m] = (float) features[t][m];
            }
        }
        return result;
    }

    /** Sample i of the signal as the framing sees it: reflected or zero beyond its ends. */
    private double sample(float[] samples, int length, int i) {
        if (i >= 0 && i < length) {
            return samples[i];
        }
        if (settings.kaldiFraming() || settings.padMode() == PadMode.CONSTANT || length == 0) {
            return 0;
        }
        if (length == 1) {
            return samples[0];
        }
        // Reflection without repeating the edge sample, folded again for pads longer than the signal (numpy's reflect).
        int period = 2 * (length - 1);
        int folded = Math.floorMod(i, period);
        return samples[folded < length ? folded : period - folded];
    }

    private double log(double energy) {
        double value = Math.max(energy + settings.offset(), settings.floor());
        return switch (settings.log()) {
            case NONE -> value;
            case LN -> Math.log(value);
            case LOG10 -> Math.log10(value);
            case DB -> 10 * Math.log10(value);
        };
    }

    private void limitDynamicRange(double[][] features) {
        if (settings.dynamicRange() <= 0 || features.length == 0) {
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : features) {
            for (double value : row) {
                max = Math.max(max, value);
            }
        }
        double lowest = max - settings.dynamicRange();
        for (double[] row : features) {
            for (int m = 0; m < row.length; m++) {
                row[m] = Math.max(row[m], lowest);
            }
        }
    }

    private void normalize(double[][] features) {
        Normalize normalize = settings.normalize();
        if (normalize == Normalize.WHISPER) {
            for (double[] row : features) {
                for (int m = 0; m < row.length; m++) {
                    row[m] = (row[m] + 4) / 4;
                }
            }
        } else if (normalize != Normalize.NONE && features.length > 0) {
            for (int m = 0; m < settings.melBins(); m++) {
                double mean = 0;
                for (double[] row : features) {
                    mean += row[m];
                }
                mean /= features.length;
                double variance = 0;
                for (double[] row : features) {
                    variance += (row[m] - mean) * (row[m] - mean);
                }
                double deviation = Math.sqrt(variance / features.length);
                boolean scale = normalize == Normalize.PER_UTTERANCE && deviation > 0;
                for (double[] row : features) {
                    row[m] = scale ? (row[m] - mean) / deviation : row[m] - mean;
                }
            }
        }
    }

    /** Periodic windows divide by the length (torch's default), symmetric ones by the length minus one (Kaldi's). */
    static double[] window(Window kind, int length, boolean periodic) {
        double[] window = new double[length];
        double denominator = periodic ? length : length - 1;
        for (int i = 0; i < length; i++) {
            double cos = length == 1 ? 1 : Math.cos(2 * Math.PI * i / denominator);
            window[i] = switch (kind) {
                case HANN -> length == 1 ? 1 : 0.5 - 0.5 * cos;
                case HAMMING -> length == 1 ? 1 : 0.54 - 0.46 * cos;
                case POVEY -> length == 1 ? 1 : Math.pow(0.5 - 0.5 * cos, 0.85);
                case RECTANGULAR -> 1;
            };
        }
        return window;
    }
}
