package io.emostream.job.model;

import java.util.List;

/**
 * One utterance as every emotion model receives it: the audio, and what was measured and heard in it. Models
 * use what they can: an SER encoder the audio, the cue-based estimator the cues and words.
 *
 * @param samples    16 kHz mono audio in [-1, 1]
 * @param transcript what was said, or null when there is no transcript
 */
public record ModelInput(String utteranceId, float[] samples, List<CueReading> cues, LexicalEvidence lexical,
                         String transcript) {

    public ModelInput {
        cues = List.copyOf(cues);
    }

    /** The cue with this name, or null when it was not measured (or was unreliable) for this utterance. */
    public CueReading cue(String name) {
        return cues.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
