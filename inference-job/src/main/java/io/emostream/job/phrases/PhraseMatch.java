package io.emostream.job.phrases;

/**
 * A rule that matched a transcript.
 *
 * @param rule     the rule's id
 * @param category the rule's category
 * @param text     the words that matched, as the transcript has them
 * @param severity the alert the rule raises; null when it only tags the utterance
 * @param start    where the words begin in the transcript (a character index)
 * @param end      the index after them
 */
public record PhraseMatch(String rule, String category, String text, Severity severity, int start, int end) {
}
