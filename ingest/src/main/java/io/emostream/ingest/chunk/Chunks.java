package io.emostream.ingest.chunk;

import io.emostream.schema.AudioChunk;
import java.nio.ByteBuffer;

/** Builds the {@link AudioChunk} record of one channel of a call, as every chunker does. */
final class Chunks {
    private Chunks() {
    }

    static AudioChunk of(CallFormat format, int channel, long sequence, long firstSample, long captureTimeMs,
                         byte[] payload, boolean endOfStream) {
        return AudioChunk.newBuilder()
                .setCallId(format.callId())
                .setChannel(channel)
                .setRole(format.roles().get(channel))
                .setSequence(sequence)
                .setFirstSample(firstSample)
                .setCaptureTimeMs(captureTimeMs)
                .setIngestTimeMs(0L)
                .setSampleRate(format.sampleRate())
                .setEncoding(format.encoding())
                .setPayload(ByteBuffer.wrap(payload))
                .setEndOfStream(endOfStream)
                .setSource(format.source())
                .setSpeaker(format.identity().speaker(channel))
                .setSeries(format.identity().series())
                .setChannels(format.channels())
                .setSourceMetadata(format.identity().metadata())
                .build();
    }
}
