package io.emostream.job;

import io.emostream.job.model.CueEstimator;
import io.emostream.job.model.EmotionModel;

/** The emotion models a job can be configured with, by name. */
public final class EmotionModels {
    /** The embedded cue-based estimator: CPU only, nothing to download. */
    public static final String DEFAULT = "cue";

    private EmotionModels() {
    }

    /** A new, unopened model; one sentence naming the known ones for an unknown name. */
    public static EmotionModel create(String name) {
        if (DEFAULT.equals(name)) {
            return new CueEstimator();
        }
        throw new IllegalArgumentException("unknown emotion model '" + name + "'; this build has: " + DEFAULT);
    }
}
