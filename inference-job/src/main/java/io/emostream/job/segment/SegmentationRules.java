package io.emostream.job.segment;

import java.io.Serializable;

/**
 * How speech probabilities become utterances. Defaults follow common practice for Silero VAD in conversation:
 * hysteresis between a start and a lower end threshold keeps a word's weak tail inside it; 400 ms of silence
 * ends a turn without splitting at every breath; 15 s caps an utterance well under the 30 s a SpeechLM accepts.
 *
 * @param startThreshold speech probability at which speech starts
 * @param endThreshold   probability below which a frame counts as silence once speech has started
 * @param minSpeechMs    shorter speech (a click, a cough) is dropped
 * @param minSilenceMs   silence that ends an utterance (the hangover)
 * @param padMs          audio kept before the first and after the last speech frame
 * @param maxUtteranceMs longer speech is split into utterances of at most this length
 * @param idleTimeoutMs  a stream that sends nothing for this long has its open utterance ended and is forgotten
 *                       (a producer that vanished without an end-of-stream marker)
 */
public record SegmentationRules(float startThreshold, float endThreshold, int minSpeechMs, int minSilenceMs,
                                int padMs, int maxUtteranceMs, long idleTimeoutMs) implements Serializable {

    public SegmentationRules {
        if (!(endThreshold > 0 && endThreshold <= startThreshold && startThreshold < 1)) {
            throw new IllegalArgumentException("thresholds need 0 < end <= start < 1, got end " + endThreshold
                    + " and start " + startThreshold);
        }
        if (minSpeechMs < 32 || minSilenceMs < 0 || padMs < 0 || maxUtteranceMs < 1000 || idleTimeoutMs < 100) {
            throw new IllegalArgumentException("minimum speech must be at least one 32 ms frame, utterances at least"
                    + " 1000 ms long, the idle timeout at least 100 ms, and other durations not negative");
        }
    }

    public static SegmentationRules defaults() {
        return new SegmentationRules(0.5f, 0.35f, 250, 400, 120, 15_000, 30_000);
    }

    public SegmentationRules withIdleTimeoutMs(long timeout) {
        return new SegmentationRules(startThreshold, endThreshold, minSpeechMs, minSilenceMs, padMs, maxUtteranceMs, timeout);
    }

    int samples(int ms) {
        return ms * SileroVad.SAMPLE_RATE / 1000;
    }
}
