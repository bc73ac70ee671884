package io.emostream.job;

import io.emostream.job.model.CueEstimator;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.onnx.ModelCard;
import io.emostream.job.model.onnx.OnnxEmotionModel;
import io.emostream.job.model.tensorrt.TensorRtEmotionModel;
import java.nio.file.Path;

/** The emotion models a job can be configured with, by name. */
public final class EmotionModels {
    /** The embedded cue-based estimator: CPU only, nothing to download. */
    public static final String DEFAULT = "cue";
    /** {@code onnx:DIR}: a speech-emotion classifier exported to ONNX, described by DIR/model-card.json. */
    public static final String ONNX = "onnx:";
    /** {@code tensorrt:DIR}: the same model card with a serialized TensorRT engine, run on an NVIDIA GPU. */
    public static final String TENSORRT = "tensorrt:";

    private EmotionModels() {
    }

    /** A new, unopened model; one sentence naming the known ones for an unknown name or a bad model card. */
    public static EmotionModel create(String name) {
        if (DEFAULT.equals(name)) {
            return new CueEstimator();
        }
        if (name.startsWith(ONNX) && name.length() > ONNX.length()) {
            return new OnnxEmotionModel(ModelCard.read(Path.of(name.substring(ONNX.length()))));
        }
        if (name.startsWith(TENSORRT) && name.length() > TENSORRT.length()) {
            return TensorRtEmotionModel.create(Path.of(name.substring(TENSORRT.length())));
        }
        throw new IllegalArgumentException("unknown emotion model '" + name + "'; use " + DEFAULT + " (the embedded"
                + " cue-based estimator), " + ONNX + "DIR (an ONNX model with its model card) or " + TENSORRT + "DIR (a"
                + " TensorRT engine with its model card, on an NVIDIA GPU)");
    }

    /**
     * Checks a name before a job is built: the same sentence {@link #create} would give, without opening a model
     * (for tensorrt:DIR it does load TensorRT, to say at once when this machine cannot run it).
     */
    public static void check(String name) {
        create(name);
    }
}
