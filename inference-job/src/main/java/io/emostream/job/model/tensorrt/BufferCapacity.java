package io.emostream.job.model.tensorrt;

/**
 * How large an execution context's pinned host and device buffers for one tensor should be. They are kept between
 * runs and only grow: to what a run needs or twice their size, whichever is more, but never past the most the tensor
 * can hold under the engine's profile. So a stream of batches settles on a few sizes, without reserving the
 * profile's maximum (tens of MB of pinned memory per subtask) up front.
 */
public final class BufferCapacity {
    private BufferCapacity() {
    }

    /**
     * @param current bytes held now (0 before the first run)
     * @param needed  bytes this run needs
     * @param most    bytes the tensor can take at most; {@code Long.MAX_VALUE} for outputs, sized by the engine
     */
    public static long next(long current, long needed, long most) {
        if (needed > most) {
            throw new IllegalStateException("a run needs " + needed + " bytes, above the " + most + " its tensor can take");
        }
        if (needed <= current) {
            return current;
        }
        return Math.min(most, Math.max(needed, current > most / 2 ? most : current * 2));
    }

    /** Bytes of a [rows, length] input at the engine's largest batch and the card's longest utterance. */
    public static long most(TensorSpec input, BatchLimits limits) {
        return input.type().bytes((long) limits.maxRows() * limits.maxLength());
    }
}
