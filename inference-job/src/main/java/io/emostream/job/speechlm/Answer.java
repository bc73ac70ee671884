package io.emostream.job.speechlm;

/**
 * The SpeechLM's answer once checked: a label of the label set, a rationale, and what it heard said (empty when
 * it gave no transcript).
 */
public record Answer(String transcript, String label, String rationale) {
}
