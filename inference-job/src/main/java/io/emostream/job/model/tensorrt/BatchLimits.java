package io.emostream.job.model.tensorrt;

/**
 * The shapes [rows, samples] an engine run may have: what every optimisation profile of the engine accepts, and no
 * more rows than the card's {@code maxBatchSize}.
 */
public record BatchLimits(int minRows, int maxRows, int minLength, int maxLength) {

    public BatchLimits {
        if (minRows < 1 || maxRows < minRows || minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("batch limits need 1 <= minRows <= maxRows and 1 <= minLength <= maxLength,"
                    + " not rows " + minRows + ".." + maxRows + ", length " + minLength + ".." + maxLength);
        }
    }
}
