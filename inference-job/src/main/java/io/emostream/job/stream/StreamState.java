package io.emostream.job.stream;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything {@link StreamRestorer} remembers about one speaker stream between chunks, kept in Flink keyed state
 * so a restart from a checkpoint resumes exactly. A Flink POJO: public fields, no logic.
 */
public class StreamState {
    /** False until the first chunk has fixed the stream's format. */
    public boolean started;
    public boolean ended;
    public String callId;
    public int channel;
    public int sampleRate;
    public String encoding;
    public String role;
    public String source;
    /** Who speaks and what the call belongs to, as the chunks named them; null when unknown. */
    public String speaker;
    public String series;
    /** How many channels the call has in all, as its chunks declared; null when unknown. */
    public Integer channels;
    public long nextSequence;
    /** Next expected sample at the source rate. */
    public long nextSample;
    /** Chunks that arrived ahead of a missing one, by ascending sequence. */
    public List<PendingChunk> pending = new ArrayList<>();
    /** Position of the next 16 kHz output sample. */
    public long nextOutputSample;
    /** The resampler's own state (see io.emostream.audio.Resampler.State), flattened for Flink. */
    @TypeInfo(SamplesTypeInfo.Factory.class)
    public float[] resamplerPending = new float[0];
    public long resamplerInput;
    public long resamplerOutput;
    /** Sequences given up on and bridged, most recent last (bounded), so a late one is recognised. */
    public List<Long> skippedSequences = new ArrayList<>();
    public long duplicates;
    public long bridgedSamples;
    public long skippedSamples;

    public StreamState() {
    }
}
