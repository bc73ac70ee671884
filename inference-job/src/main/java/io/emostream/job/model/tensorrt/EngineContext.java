package io.emostream.job.model.tensorrt;

import java.nio.ByteBuffer;

/** An execution context of a shared engine; one run at a time, claimed with {@link #claim()}. */
public interface EngineContext {

    /** Waits until no other subtask is running on this context, and holds it until the returned run is closed. */
    EngineRun claim();

    /** One run on a claimed context: fill the inputs, execute, read the outputs, close. */
    interface EngineRun extends AutoCloseable {

        /**
         * The pinned host buffer for this input at this shape, little-endian, from position 0 to the bytes the shape
         * takes; valid until the run is closed.
         */
        ByteBuffer input(String name, long[] shape);

        /** Copies the inputs to the GPU, runs the engine on the context's stream, copies the outputs back, and waits. */
        void execute();

        /** The output's shape for this run. */
        long[] outputShape(String name);

        /** The pinned host buffer holding the output, from position 0 to its bytes. */
        ByteBuffer output(String name);

        @Override
        void close();
    }
}
