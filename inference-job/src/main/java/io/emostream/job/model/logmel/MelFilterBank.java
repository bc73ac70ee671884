package io.emostream.job.model.logmel;

import io.emostream.job.model.logmel.LogMelSettings.MelNorm;
import io.emostream.job.model.logmel.LogMelSettings.MelScale;

/**
 * Triangular mel filters over the bins of a one-sided spectrum, as the three front ends build them:
 * <ul>
 *   <li>htk and slaney (torchaudio's melscale_fbanks, librosa's mel): melBins + 2 points evenly spaced on the mel
 *       scale between fMin and fMax, back in Hz; filter m rises from point m to point m + 1 and falls to m + 2,
 *       linearly in Hz, over bin frequencies {@code linspace(0, 8000, nFft/2 + 1)}; slaney norm scales each
 *       filter by 2 / (its width in Hz).</li>
 *   <li>kaldi (Kaldi's and torchaudio.compliance.kaldi's get_mel_banks): the same points on 1127·ln(1 + f/700),
 *       but the triangle is linear in mel, bins are at k·16000/nFft for k below nFft/2, and the Nyquist bin gets
 *       no weight.</li>
 * </ul>
 */
final class MelFilterBank {
    private MelFilterBank() {
    }

    /** weights[m][k]: how much of spectrum bin k goes into mel bin m. */
    static double[][] weights(LogMelSettings settings) {
        int bins = settings.nFft() / 2 + 1;
        int mels = settings.melBins();
        MelScale scale = settings.melScale();
        double low = toMel(scale, settings.fMin());
        double high = toMel(scale, settings.fMax());
        double[] points = new double[mels + 2];
        for (int i = 0; i < points.length; i++) {
            points[i] = low + (high - low) * i / (mels + 1);
        }
        double[][] weights = new double[mels][bins];
        if (scale == MelScale.KALDI) {
            double binWidth = (double) LogMelSettings.SAMPLE_RATE / settings.nFft();
            for (int k = 0; k < settings.nFft() / 2; k++) {
                double mel = toMel(scale, binWidth * k);
                for (int m = 0; m < mels; m++) {
                    double up = (mel - points[m]) / (points[m + 1] - points[m]);
                    double down = (points[m + 2] - mel) / (points[m + 2] - points[m + 1]);
                    weights[m][k] = Math.max(0, Math.min(up, down));
                }
            }
        } else {
            double[] hz = new double[points.length];
            for (int i = 0; i < points.length; i++) {
                hz[i] = toHz(scale, points[i]);
            }
            for (int k = 0; k < bins; k++) {
                double frequency = bins == 1 ? 0 : LogMelSettings.SAMPLE_RATE / 2.0 * k / (bins - 1);
                for (int m = 0; m < mels; m++) {
                    double up = (frequency - hz[m]) / (hz[m + 1] - hz[m]);
                    double down = (hz[m + 2] - frequency) / (hz[m + 2] - hz[m + 1]);
                    weights[m][k] = Math.max(0, Math.min(up, down));
                }
            }
            if (settings.melNorm() == MelNorm.SLANEY) {
                for (int m = 0; m < mels; m++) {
                    double area = 2 / (hz[m + 2] - hz[m]);
                    for (int k = 0; k < bins; k++) {
                        weights[m][k] *= area;
                    }
                }
            }
        }
        return weights;
    }

    static double toMel(MelScale scale, double hz) {
        return switch (scale) {
            case HTK -> 2595 * Math.log10(1 + hz / 700);
            case KALDI -> 1127 * Math.log(1 + hz / 700);
            // Slaney's Auditory Toolbox: linear to 1 kHz (200/3 Hz per mel), logarithmic above (27 mels per 6.4×).
            case SLANEY -> hz < 1000 ? hz * 3 / 200 : 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27);
        };
    }

    static double toHz(MelScale scale, double mel) {
        return switch (scale) {
            case HTK -> 700 * (Math.pow(10, mel / 2595) - 1);
            case KALDI -> 700 * (Math.exp(mel / 1127) - 1);
            case SLANEY -> mel < 15 ? mel * 200 / 3 : 1000 * Math.exp((mel - 15) * (Math.log(6.4) / 27));
        };
    }
}
