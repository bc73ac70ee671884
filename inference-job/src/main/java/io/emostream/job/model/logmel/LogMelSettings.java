package io.emostream.job.model.logmel;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every parameter of a log-mel front end, at 16 kHz, complete and checked. A {@link Style} names the library whose
 * front end a model was trained with and gives that library's own defaults, so a parameter left at its default in
 * the export is left out here too; each can still be set. Names follow the model card's fields.
 *
 * @param windowLength  samples per frame that the window covers (torchaudio's win_length, Kaldi's frame_length)
 * @param hop           samples between frame starts
 * @param floor         log(max(mel + offset, floor)): the clamp below which energies count as silence
 * @param offset        added to every mel energy before the clamp and the log
 * @param dynamicRange  values below the utterance's maximum minus this (in the log's own units) are raised to it,
 *                      or 0 for none (Whisper: 8, torchaudio's AmplitudeToDB: top_db)
 * @param dropLastFrame drop the last frame, as Whisper does ({@code stft[..., :-1]})
 */
public record LogMelSettings(Style style, int melBins, int nFft, int windowLength, int hop, double fMin, double fMax,
                             Window window, boolean center, PadMode padMode, int power, MelScale melScale,
                             MelNorm melNorm, double preemphasis, boolean removeDcOffset, double inputScale, Log log,
                             double floor, double offset, double dynamicRange, Normalize normalize,
                             boolean dropLastFrame) {
    public static final int SAMPLE_RATE = 16_000;

    /** Whose front end the features reproduce, and so whose defaults apply. */
    public enum Style {
        /** torchaudio.transforms.MelSpectrogram (torch.stft framing, centred, periodic windows), then a log. */
        TORCHAUDIO,
        /** OpenAI Whisper's and Hugging Face's WhisperFeatureExtractor's log_mel_spectrogram. */
        WHISPER,
        /** torchaudio.compliance.kaldi.fbank (Kaldi's compute-fbank-feats), snip_edges=True, no dither. */
        KALDI
    }

    public enum Window { HANN, HAMMING, POVEY, RECTANGULAR }

    public enum PadMode { REFLECT, CONSTANT }

    /** htk and slaney: triangles spaced on that mel scale, interpolated in Hz (torchaudio, librosa); kaldi: Kaldi's. */
    public enum MelScale { HTK, SLANEY, KALDI }

    public enum MelNorm { NONE, SLANEY }

    public enum Log { NONE, LN, LOG10, DB }

    public enum Normalize { NONE, WHISPER, PER_UTTERANCE, PER_UTTERANCE_MEAN }

    /** Torch's float32 machine epsilon: Kaldi's log floor as torchaudio computes it. */
    static final double FLOAT_EPSILON = Math.ulp(1.0f);

    /** Kaldi frames are the window's samples padded at the end; torch.stft frames hold nFft samples, window centred. */
    public boolean kaldiFraming() {
        return style == Style.KALDI;
    }

    /** The value's name on a model card: lower case, words joined by '-'. */
    public static String cardName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} whose card name is {@code value}; one sentence naming the field otherwise. */
    public static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        for (E constant : type.getEnumConstants()) {
            if (cardName(constant).equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(field + " is one of " + Arrays.stream(type.getEnumConstants())
                .map(LogMelSettings::cardName).collect(Collectors.joining(", ")) + ", not '" + value + "'");
    }

    public static Builder builder(Style style) {
        return new Builder(style);
    }

    /**
     * Collects what a card sets; {@link #build} fills the rest from the style and checks the whole. Error messages
     * start with the field's name and have no final full stop, so a caller can say where the field was.
     */
    public static final class Builder {
        private final Style style;
        private Integer melBins;
        private Integer nFft;
        private Integer windowLength;
        private Double windowMs;
        private Integer hop;
        private Double hopMs;
        private Double fMin;
        private Double fMax;
        private Window window;
        private Boolean center;
        private PadMode padMode;
        private Integer power;
        private MelScale melScale;
        private MelNorm melNorm;
        private Double preemphasis;
        private Boolean removeDcOffset;
        private Double inputScale;
        private Log log;
        private Double floor;
        private Double offset;
        private Double dynamicRange;
        private Normalize normalize;
        private Boolean dropLastFrame;

        private Builder(Style style) {
            this.style = style;
        }

        public Builder melBins(int value) {
            melBins = value;
            return this;
        }

        public Builder nFft(int value) {
            nFft = value;
            return this;
        }

        public Builder windowLength(int samples) {
            windowLength = samples;
            return this;
        }

        public Builder windowMs(double value) {
            windowMs = value;
            return this;
        }

        public Builder hop(int samples) {
            hop = samples;
            return this;
        }

        public Builder hopMs(double value) {
            hopMs = value;
            return this;
        }

        public Builder fMin(double hz) {
            fMin = hz;
            return this;
        }

        public Builder fMax(double hz) {
            fMax = hz;
            return this;
        }

        public Builder window(Window value) {
            window = value;
            return this;
        }

        public Builder center(boolean value) {
            center = value;
            return this;
        }

        public Builder padMode(PadMode value) {
            padMode = value;
            return this;
        }

        public Builder power(int value) {
            power = value;
            return this;
        }

        public Builder melScale(MelScale value) {
            melScale = value;
            return this;
        }

        public Builder melNorm(MelNorm value) {
            melNorm = value;
            return this;
        }

        public Builder preemphasis(double value) {
            preemphasis = value;
            return this;
        }

        public Builder removeDcOffset(boolean value) {
            removeDcOffset = value;
            return this;
        }

        public Builder inputScale(double value) {
            inputScale = value;
            return this;
        }

        public Builder log(Log value) {
            log = value;
            return this;
        }

        public Builder floor(double value) {
            floor = value;
            return this;
        }

        public Builder offset(double value) {
            offset = value;
            return this;
        }

        public Builder dynamicRange(double value) {
            dynamicRange = value;
            return this;
        }

        public Builder normalize(Normalize value) {
            normalize = value;
            return this;
        }

        public Builder dropLastFrame(boolean value) {
            dropLastFrame = value;
            return this;
        }

        public LogMelSettings build() {
            boolean kaldi = style == Style.KALDI;
            boolean whisper = style == Style.WHISPER;
            require(melBins != null, "melBins is required: the number of mel bins the model takes (80 or 128 for"
                    + " Whisper, often 80, 64 or 128 otherwise)");
            require(melBins >= 1 && melBins <= 1024, "melBins must be between 1 and 1024, got " + melBins);
            require(windowLength == null || windowMs == null, "windowLength and windowMs say the same thing; give one");
            require(hop == null || hopMs == null, "hop and hopMs say the same thing; give one");
            Integer window = windowLength != null ? windowLength : windowMs != null ? samples("windowMs", windowMs) : null;
            Integer step = hop != null ? hop : hopMs != null ? samples("hopMs", hopMs) : null;
            int fft;
            int span;
            if (kaldi) {
                // Kaldi: 25 ms frames padded to the next power of two (round_to_power_of_two), 10 ms apart.
                span = window != null ? window : 400;
                fft = nFft != null ? nFft : Integer.bitCount(span) == 1 ? span : Integer.highestOneBit(span) << 1;
            } else {
                // torchaudio: n_fft 400, win_length defaults to n_fft, hop_length to win_length // 2; Whisper: 400, 160.
                fft = nFft != null ? nFft : 400;
                span = window != null ? window : fft;
            }
            int hopSamples = step != null ? step : whisper || kaldi ? 160 : span / 2;
            require(span >= 1, "windowLength must be at least 1 sample, got " + span);
            require(fft >= span && fft <= 65_536, "nFft must be at least the window length (" + span
                    + " samples) and at most 65536, got " + fft);
            require(hopSamples >= 1, "hop must be at least 1 sample, got " + hopSamples);
            double low = fMin != null ? fMin : kaldi ? 20 : 0;
            double high = fMax != null ? fMax : SAMPLE_RATE / 2.0;
            require(low >= 0 && high <= SAMPLE_RATE / 2.0 && low < high, "fMin and fMax must satisfy 0 <= fMin < fMax"
                    + " <= 8000 Hz, got " + low + " and " + high);
            require(!kaldi || center == null, "center does not apply to style kaldi, which frames like Kaldi's"
                    + " snip_edges=True; remove it");
            require(power == null || power == 1 || power == 2, "power is 1 (magnitude) or 2 (power), got " + power);
            double emphasis = preemphasis != null ? preemphasis : kaldi ? 0.97 : 0;
            require(emphasis >= 0 && emphasis <= 1, "preemphasis must be between 0 and 1, got " + emphasis);
            double scale = inputScale != null ? inputScale : 1;
            require(scale > 0 && Double.isFinite(scale), "inputScale must be above 0, got " + scale);
            require(log != null || style != Style.TORCHAUDIO, "log is required with style torchaudio, which computes"
                    + " no log itself: ln, log10 or db as the export applied it to the mel spectrogram, or none");
            Log logKind = log != null ? log : whisper ? Log.LOG10 : Log.LN;
            require(floor == null || offset == null, "floor and offset are two ways to avoid log(0); give one");
            double clamp = floor != null ? floor : offset != null || logKind == Log.NONE ? 0 : kaldi ? FLOAT_EPSILON : 1e-10;
            double shift = offset != null ? offset : 0;
            require(clamp >= 0 && shift >= 0, "floor and offset must not be negative");
            require(logKind == Log.NONE || clamp > 0 || shift > 0, "floor or offset must be above 0, or every silent"
                    + " frame would be log(0)");
            double range = dynamicRange != null ? dynamicRange : whisper ? 8 : 0;
            require(range >= 0 && Double.isFinite(range), "dynamicRange must be above 0 (or left out), got " + range);
            return new LogMelSettings(style, melBins, fft, span, hopSamples, low, high,
                    this.window != null ? this.window : kaldi ? Window.POVEY : Window.HANN,
                    center != null ? center : !kaldi, padMode != null ? padMode : PadMode.REFLECT,
                    power != null ? power : 2,
                    melScale != null ? melScale : kaldi ? MelScale.KALDI : whisper ? MelScale.SLANEY : MelScale.HTK,
                    melNorm != null ? melNorm : whisper ? MelNorm.SLANEY : MelNorm.NONE,
                    emphasis, removeDcOffset != null ? removeDcOffset : kaldi, scale, logKind, clamp, shift, range,
                    normalize != null ? normalize : whisper ? Normalize.WHISPER : Normalize.NONE,
                    dropLastFrame != null ? dropLastFrame : whisper);
        }

        /** Milliseconds to samples at 16 kHz, truncated as Kaldi does. */
        private static int samples(String field, double ms) {
            require(ms > 0 && ms <= 1000, field + " must be above 0 and at most 1000, got " + ms);
            return (int) (ms * SAMPLE_RATE / 1000);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
