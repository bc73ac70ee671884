package io.emostream.job.model;

import java.util.List;

/**
 * The seam every emotion model plugs into: the embedded cue-based estimator, an ONNX or TensorRT SER encoder, a
 * SpeechLM server. The job never knows which sits behind it. Models are opened and closed with the Flink
 * operator that runs them, and label batches of utterances, as large as {@link #maxBatchSize()}.
 */
public interface EmotionModel extends AutoCloseable {

    /** Recorded in every event as {@code modelId}, e.g. "cue-estimator/1". */
    String id();

    LabelSet labels();

    /** How many utterances one {@link #estimate} call should get at most. */
    int maxBatchSize();

    /**
     * Whether labelling utterances together costs less than labelling them one by one, as it does for a neural
     * network. When it does not, the job labels each utterance as soon as it is measured, instead of letting it wait
     * for others to join its batch.
     */
    default boolean gainsFromBatches() {
        return true;
    }

    /** Loads weights, sessions, connections: called once when the operator opens. */
    void open() throws Exception;

    /** One estimate per input, in the same order. */
    List<EmotionEstimate> estimate(List<ModelInput> batch) throws Exception;

    @Override
    void close();
}
