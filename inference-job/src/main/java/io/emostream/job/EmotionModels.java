package io.emostream.job;

import io.emostream.job.model.CueEstimator;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.onnx.ModelCard;
import io.emostream.job.model.onnx.OnnxEmotionModel;
import io.emostream.job.model.tensorrt.TensorRtEmotionModel;
import io.emostream.job.speechlm.SpeechLmSettings;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The emotion models a job can be configured with, by name: a local model that labels every utterance, a
 * SpeechLM server, or both as a cascade ({@code LOCAL+speechlm:URL}).
 */
public final class EmotionModels {
    /** The embedded cue-based estimator: CPU only, nothing to download. */
    public static final String DEFAULT = "cue";
    /** {@code onnx:DIR}: a speech-emotion classifier exported to ONNX, described by DIR/model-card.json. */
    public static final String ONNX = "onnx:";
    /** {@code tensorrt:DIR}: the same model card with a serialized TensorRT engine, run on an NVIDIA GPU. */
    public static final String TENSORRT = "tensorrt:";
    /** Joins a local model and a SpeechLM into a cascade: {@code onnx:/models/ser+speechlm:http://gpu-1:8000/v1}. */
    public static final String CASCADE = "+" + SpeechLmSettings.PREFIX;

    private EmotionModels() {
    }

    /**
     * A parsed {@code --model} value.
     *
     * @param local    the model that labels every utterance, and the SpeechLM's fallback
     * @param speechLm the SpeechLM, or null when there is none
     */
    public record Spec(String local, SpeechLmSettings speechLm) implements Serializable {
    }

    /**
     * Reads a {@code --model} value: {@code cue}, {@code onnx:DIR}, {@code tensorrt:DIR}, {@code speechlm:URL} (the SpeechLM asked about
     * every utterance, the embedded estimator its fallback) or {@code LOCAL+speechlm:URL} (the cascade).
     */
    public static Spec parse(String name) {
        if (name.startsWith(SpeechLmSettings.PREFIX)) {
            return new Spec(DEFAULT, SpeechLmSettings.parse(name, false));
        }
        int join = name.indexOf(CASCADE);
        if (join > 0) {
            return new Spec(local(name.substring(0, join)), SpeechLmSettings.parse(name.substring(join + 1), true));
        }
        return new Spec(local(name), null);
    }

    /** A new, unopened local model; one sentence naming the known ones for an unknown name or a bad model card. */
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
        throw unknown(name);
    }

    /**
     * Checks a name before a job is built: the same sentence {@link #create} or {@link #parse} would give, without
     * opening a model (for tensorrt:DIR it does load TensorRT, to say at once when this machine cannot run it).
     */
    public static void check(String name) {
        create(parse(name).local());
    }

    private static String local(String name) {
        boolean known = DEFAULT.equals(name) || (name.startsWith(ONNX) && name.length() > ONNX.length())
                || (name.startsWith(TENSORRT) && name.length() > TENSORRT.length());
        if (!known) {
            throw unknown(name);
        }
        return name;
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown emotion model '" + name + "'; use " + DEFAULT + " (the embedded"
                + " cue-based estimator), " + ONNX + "DIR (an ONNX model with its model card), " + TENSORRT + "DIR (a"
                + " TensorRT engine with its model card, on an NVIDIA GPU), " + SpeechLmSettings.PREFIX + "URL (a SpeechLM"
                + " server) or LOCAL" + CASCADE + "URL (a local model that asks the SpeechLM about some utterances)");
    }
}
