package io.emostream.job.model.tensorrt;

import java.util.List;

/**
 * One engine run: which utterances of a batch it carries, in row order, and the shape [rows, length] it runs at.
 * Rows past the utterances and samples past each utterance are padding.
 *
 * @param utterances indexes into the batch
 */
public record Run(List<Integer> utterances, int rows, int length) {

    public Run {
        utterances = List.copyOf(utterances);
    }
}
