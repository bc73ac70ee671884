package io.emostream.job.model.tensorrt;

/** A deserialised engine on one GPU, shared by the subtasks of a TaskManager; closing gives back one reference. */
public interface SharedEngine extends AutoCloseable {

    EngineDescription description();

    /**
     * An execution context for the calling subtask, with its own CUDA stream and pinned buffers. The engine has one
     * per optimisation profile; when more subtasks share the engine than it has profiles, they share contexts and
     * take turns on them.
     */
    EngineContext context();

    @Override
    void close();
}
