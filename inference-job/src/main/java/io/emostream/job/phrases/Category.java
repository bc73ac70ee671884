package io.emostream.job.phrases;

import java.io.Serializable;

/**
 * What a phrase means to a supervisor, e.g. {@code churn_risk}.
 *
 * @param name    lower case, letters, digits and underscores
 * @param valence what each match adds to the utterance's valence, on VADER's word scale from -4 to 4 (0 moves
 *                nothing): the matched words count as one word rated this, instead of their own ratings
 * @param meaning one sentence for whoever reads the rules; empty when the file gives none
 */
public record Category(String name, double valence, String meaning) implements Serializable {
}
