package io.emostream.job.rationale;

/**
 * One thing a rationale says about a measured cue: that it is above (+1), below (-1) or close to (0) the
 * speaker's usual.
 *
 * @param phrase the words of the rationale that make the claim
 */
public record Claim(String cue, int direction, String phrase) {
}
