package io.emostream.job;

import io.emostream.job.model.CueEstimator;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.onnx.ModelCard;
import io.emostream.job.model.onnx.OnnxEmotionModel;
import java.nio.file.Path;

/** The emotion models a job can be configured with, by name. */
public final class EmotionModels {
    /** The embedded cue-based estimator: CPU only, nothing to download. */
    public static final String DEFAULT = "cue";
    /** {@code onnx:DIR}: a speech-emotion classifier exported to ONNX, described by DIR/model-card.json. */
    public static final String ONNX = "onnx:";

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
        throw new IllegalArgumentException("unknown emotion model '" + name + "'; use " + DEFAULT + " (the embedded"
                + " cue-based estimator) or " + ONNX + "DIR (an ONNX model with its model card)");
    }

    /** Checks a name before a job is built: the same sentence {@link #create} would give, without loading anything. */
    public static void check(String name) {
        create(name);
    }
}
