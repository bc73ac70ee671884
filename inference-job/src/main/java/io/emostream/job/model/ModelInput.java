package io.emostream.job.model;

import java.util.List;

/**
 * One utterance as every emotion model receives it: the audio, and what was measured and heard in it. Models
 * use what they can: an SER encoder the audio, the cue-based estimator the cues, the words and the prior.
 *
 * @param samples      16 kHz mono audio in [-1, 1]
 * @param transcript   what was said, or null when there is no transcript
 * @param knowsSpeaker whether the cues' z-scores rest on this speaker's own speech; until then they compare the
 *                     utterance with typical speech (see {@link CueEvidence})
 * @param prior        how often each label occurs in the utterance's domain and for its speaker's role
 */
public record ModelInput(String utteranceId, float[] samples, List<CueReading> cues, LexicalEvidence lexical,
                         String transcript, boolean knowsSpeaker, LabelPrior prior) {

    public ModelInput {
        cues = List.copyOf(cues);
    }

    /** An utterance of a speaker already known, from nowhere in particular (a uniform prior). */
    public ModelInput(String utteranceId, float[] samples, List<CueReading> cues, LexicalEvidence lexical, String transcript) {
        this(utteranceId, samples, cues, lexical, transcript, true, LabelPrior.uniform(LabelSet.MSP_PODCAST));
    }

    /** The cue with this name, or null when it was not measured (or was unreliable) for this utterance. */
    public CueReading cue(String name) {
        return cues.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /** Whether there are words to read valence from: a transcript with something in it. */
    public boolean hasWords() {
        return transcript != null && !transcript.isBlank();
    }
}
