package io.emostream.job.speechlm;

import io.emostream.schema.SpeechLmStatus;

/**
 * What came of asking about one utterance.
 *
 * @param answer   the checked answer when {@code status} is ANSWERED, null otherwise
 * @param attempts HTTP requests sent, retries included
 * @param detail   for anything but ANSWERED: what went wrong, in one sentence
 */
public record Outcome(SpeechLmStatus status, Answer answer, int attempts, long latencyMs, String detail) {

    static Outcome answered(Answer answer, int attempts, long latencyMs) {
        return new Outcome(SpeechLmStatus.ANSWERED, answer, attempts, latencyMs, null);
    }

    static Outcome fallback(SpeechLmStatus status, int attempts, long latencyMs, String detail) {
        return new Outcome(status, null, attempts, latencyMs, detail);
    }
}
