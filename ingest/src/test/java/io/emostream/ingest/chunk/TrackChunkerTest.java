package io.emostream.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackChunkerTest {
    private static final CallFormat CALL = new CallFormat("c-1", 8000, AudioEncoding.MULAW,
            List.of(SpeakerRole.CUSTOMER, SpeakerRole.AGENT), "test:", new CallIdentity(List.of(), null, Map.of("ani", "+1")));

    private static byte[] samples(int from, int count) {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = (byte) (from + i);
        }
        return out;
    }

    private static byte[] payload(AudioChunk chunk) {
        ByteBuffer buffer = chunk.getPayload().duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Test
    void audioAtItsPositionFillsChunksOfTheGivenLength() {
        TrackChunker channel = new TrackChunker(CALL, 1, 80, 1_000_000L);

        List<AudioChunk> chunks = channel.append(samples(0, 200), 0, 200, 0);

        assertThat(chunks).extracting(AudioChunk::getFirstSample).containsExactly(0L, 80L);
        assertThat(chunks).extracting(AudioChunk::getSequence).containsExactly(0L, 1L);
        assertThat(chunks).extracting(AudioChunk::getChannel).containsOnly(1);
        assertThat(chunks).extracting(AudioChunk::getRole).containsOnly(SpeakerRole.AGENT);
        assertThat(chunks.get(1).getCaptureTimeMs()).isEqualTo(1_000_000L + 10);
        assertThat(chunks.get(0).getChannels()).isEqualTo(2);
        assertThat(chunks.get(0).getSourceMetadata()).containsEntry("ani", "+1");
        assertThat(payload(chunks.get(1))).isEqualTo(samples(80, 80));
        assertThat(channel.position()).isEqualTo(200);
    }

    @Test
    void aLaterPositionEndsTheChunkShortAndLeavesAGap() {
        TrackChunker channel = new TrackChunker(CALL, 0, 80, 0);
        channel.append(samples(0, 40), 0, 40, 0);

        List<AudioChunk> chunks = channel.append(samples(100, 80), 0, 80, 1000);

        assertThat(chunks).extracting(AudioChunk::getFirstSample).containsExactly(0L, 1000L);
        assertThat(chunks).extracting(AudioChunk::getSequence).containsExactly(0L, 1L);
        assertThat(payload(chunks.get(0))).isEqualTo(samples(0, 40));
        assertThat(payload(chunks.get(1))).isEqualTo(samples(100, 80));
    }

    @Test
    void audioBeforeThePositionIsDroppedAsARepeat() {
        TrackChunker channel = new TrackChunker(CALL, 0, 80, 0);
        channel.append(samples(0, 60), 0, 60, 0);

        List<AudioChunk> chunks = channel.append(samples(50, 30), 0, 30, 50);

        assertThat(chunks).hasSize(1);
        assertThat(payload(chunks.get(0))).isEqualTo(samples(0, 80));
        assertThat(channel.duplicateSamples()).isEqualTo(10);
    }

    @Test
    void skippingAndFinishingMarkTheEnd() {
        TrackChunker channel = new TrackChunker(CALL, 0, 80, 0);
        channel.append(samples(0, 20), 0, 20);
        assertThat(channel.skipTo(500)).extracting(AudioChunk::getFirstSample).containsExactly(0L);

        List<AudioChunk> last = channel.finish();

        assertThat(last).singleElement().satisfies(chunk -> {
            assertThat(chunk.getEndOfStream()).isTrue();
            assertThat(chunk.getFirstSample()).isEqualTo(500L);
            assertThat(chunk.getPayload().remaining()).isZero();
            assertThat(chunk.getSequence()).isEqualTo(1L);
        });
        assertThatThrownBy(() -> channel.append(samples(0, 1), 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anIdentityUpdateReachesTheChunksAfterIt() {
        TrackChunker channel = new TrackChunker(CALL, 0, 10, 0);
        channel.identify(new CallIdentity(List.of("pat"), "billing", Map.of("ani", "+2")));

        AudioChunk chunk = channel.append(samples(0, 10), 0, 10).get(0);

        assertThat(chunk.getSpeaker()).isEqualTo("pat");
        assertThat(chunk.getSeries()).isEqualTo("billing");
        assertThat(chunk.getSourceMetadata()).containsEntry("ani", "+2");
    }
}
