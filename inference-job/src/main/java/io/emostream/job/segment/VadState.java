package io.emostream.job.segment;

import io.emostream.job.stream.SamplesTypeInfo;
import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What {@link SileroVad} remembers about one audio stream between frames: the model's recurrent state and the
 * last samples of the previous frame. Kept in Flink keyed state, so it is a plain value (a Flink POJO) and
 * everything needed to resume a stream after a restart; a new instance is the state of a stream not yet heard.
 */
public final class VadState implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Length of {@link #getRecurrentState()}: the model's two state layers of 128 values each. */
    public static final int RECURRENT_STATE_SIZE = SileroVad.STATE_LAYERS * SileroVad.STATE_WIDTH;

    /** Layer after layer, as the model's {@code state} input [2, B, 128] holds it for one stream. */
    @TypeInfo(SamplesTypeInfo.Factory.class)
    private float[] recurrentState = new float[RECURRENT_STATE_SIZE];
    /** The last {@link SileroVad#CONTEXT_SAMPLES} samples of the previous frame; silence before the first. */
    @TypeInfo(SamplesTypeInfo.Factory.class)
    private float[] context = new float[SileroVad.CONTEXT_SAMPLES];

    public VadState() {
    }

    public float[] getRecurrentState() {
        return recurrentState;
    }

    public void setRecurrentState(float[] recurrentState) {
        this.recurrentState = recurrentState;
    }

    public float[] getContext() {
        return context;
    }

    public void setContext(float[] context) {
        this.context = context;
    }
}
