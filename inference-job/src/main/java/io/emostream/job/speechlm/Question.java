package io.emostream.job.speechlm;

import io.emostream.schema.Cue;
import java.util.List;

/**
 * What the SpeechLM is asked about one utterance.
 *
 * @param samples    16 kHz mono audio in [-1, 1]
 * @param cues       the measured cues, with z-scores against the speaker's usual where known
 * @param transcript the recogniser's transcript, or null when there is none
 * @param labels     the labels the answer must choose from
 */
public record Question(String utteranceId, float[] samples, List<Cue> cues, String transcript, List<String> labels) {
    public Question {
        cues = List.copyOf(cues);
        labels = List.copyOf(labels);
    }
}
