package io.emostream.job.lexical;

import java.util.List;

/**
 * How positive or negative a piece of text reads, as VADER scores it.
 *
 * @param compound the summed valence normalised into [-1, 1]; VADER's authors call text positive from 0.05 and
 *                 negative from -0.05
 * @param positive share of the text's weight that is positive, in [0, 1]
 * @param negative share that is negative, in [0, 1]
 * @param neutral  share that is neutral, in [0, 1]; the three shares sum to 1 unless the text had no words, when
 *                 all are 0
 * @param drivers  up to five lexicon words that moved the score most, strongest first, each once, as it appeared in
 *                 the text and prefixed with its sign as scored there: {@code "-ridiculous"}, {@code "+thanks"},
 *                 and {@code "-happy"} for "not happy"
 */
public record ValenceScore(double compound, double positive, double negative, double neutral, List<String> drivers) {

    /** The score of text with no words. */
    public static final ValenceScore NONE = new ValenceScore(0, 0, 0, 0, List.of());

    public ValenceScore {
        drivers = List.copyOf(drivers);
    }

    /** The drivers that pushed the score up, without their sign, strongest first. */
    public List<String> positiveDrivers() {
        return driversSigned('+');
    }

    /** The drivers that pushed the score down, without their sign, strongest first. */
    public List<String> negativeDrivers() {
        return driversSigned('-');
    }

    private List<String> driversSigned(char sign) {
        return drivers.stream().filter(d -> d.charAt(0) == sign).map(d -> d.substring(1)).toList();
    }
}
