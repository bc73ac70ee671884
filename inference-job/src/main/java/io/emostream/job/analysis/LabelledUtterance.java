package io.emostream.job.analysis;

import io.emostream.job.stream.SamplesTypeInfo;
import io.emostream.schema.EmotionEvent;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * An utterance's event as the local model labelled it, with its audio when the cascade is to ask the SpeechLM
 * about it. A Flink POJO: public fields.
 */
public class LabelledUtterance {
    public EmotionEvent event;
    /** Why the SpeechLM is to be asked (see AskPolicy), or null when it is not. */
    public String askReason;
    /** 16 kHz audio, kept only when {@link #askReason} is set. */
    @TypeInfo(SamplesTypeInfo.Factory.class)
    public float[] samples;

    public LabelledUtterance() {
    }

    public LabelledUtterance(EmotionEvent event, String askReason, float[] samples) {
        this.event = event;
        this.askReason = askReason;
        this.samples = samples;
    }
}
