package io.emostream.job.phrases;

/** How urgently a supervisor should hear of a rule's match; a rule without one only tags the utterance. */
public enum Severity {
    INFO, WARNING, CRITICAL
}
