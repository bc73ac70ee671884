package io.emostream.job.cues;

/**
 * One named acoustic measurement of an utterance, e.g. {@code pitch_mean_hz = 182.4 Hz}.
 *
 * @param name  a stable snake_case name, one of the names in {@link AcousticCues}
 * @param value the measured value, never NaN
 * @param unit  the unit as people write it ("Hz", "dBFS", "%", "ratio", ...)
 */
public record Measurement(String name, double value, String unit) {
}
