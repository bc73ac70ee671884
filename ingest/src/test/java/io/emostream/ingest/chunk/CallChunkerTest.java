package io.emostream.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CallChunkerTest {
    private static final CallFormat STEREO_MULAW = new CallFormat("call-1", 8000, AudioEncoding.MULAW,
            List.of(SpeakerRole.AGENT, SpeakerRole.CUSTOMER), "file:call-1.wav");

    @Test
    void everyChunkCarriesItsChannelsSpeakerAndTheCallsSeries() {
        CallFormat named = new CallFormat("call-2", 8000, AudioEncoding.MULAW, List.of(SpeakerRole.AGENT, SpeakerRole.CUSTOMER),
                "file:call-2.wav", CallIdentity.parse("sam,", "billing"));
        CallChunker chunker = new CallChunker(named, 800, 0L);

        List<AudioChunk> chunks = chunker.append(new byte[][] {filled(800, (byte) 1), filled(800, (byte) 2)});

        assertThat(chunks).extracting(AudioChunk::getSpeaker).containsExactly("sam", null);
        assertThat(chunks).extracting(AudioChunk::getSeries).containsOnly("billing");
        assertThat(new CallChunker(STEREO_MULAW, 800, 0L).append(new byte[][] {filled(800, (byte) 1), filled(800, (byte) 2)}))
                .extracting(AudioChunk::getSpeaker, AudioChunk::getSeries).containsOnly(org.assertj.core.groups.Tuple.tuple(null, null));
        assertThatThrownBy(() -> CallIdentity.parse("sam", "a\u0007b")).hasMessageContaining("series name");
    }

    @Test
    void cutsEachChannelIntoNumberedChunksOfTheGivenLength() {
        CallChunker chunker = new CallChunker(STEREO_MULAW, 800, 1_000_000L);
        byte[][] twoAndAHalfChunks = {filled(2000, (byte) 1), filled(2000, (byte) 2)};

        List<AudioChunk> chunks = chunker.append(twoAndAHalfChunks);
        List<AudioChunk> last = chunker.finish();

        assertThat(chunks).extracting(AudioChunk::getChannel).containsExactly(0, 1, 0, 1);
        assertThat(chunks).extracting(AudioChunk::getSequence).containsExactly(0L, 0L, 1L, 1L);
        assertThat(chunks).extracting(AudioChunk::getFirstSample).containsExactly(0L, 0L, 800L, 800L);
        assertThat(chunks).extracting(AudioChunk::getCaptureTimeMs).containsExactly(1_000_000L, 1_000_000L, 1_000_100L, 1_000_100L);
        assertThat(chunks).extracting(c -> c.getPayload().remaining()).containsOnly(800);
        assertThat(chunks).extracting(AudioChunk::getRole)
                .containsExactly(SpeakerRole.AGENT, SpeakerRole.CUSTOMER, SpeakerRole.AGENT, SpeakerRole.CUSTOMER);
        assertThat(chunks).noneMatch(AudioChunk::getEndOfStream);
        assertThat(last).extracting(AudioChunk::getSequence).containsExactly(2L, 2L);
        assertThat(last).extracting(AudioChunk::getFirstSample).containsExactly(1600L, 1600L);
        assertThat(last).extracting(c -> c.getPayload().remaining()).containsExactly(400, 400);
        assertThat(last).allMatch(AudioChunk::getEndOfStream);
        assertThat(last.get(1).getPayload().get(0)).isEqualTo((byte) 2);
        assertThat(chunker.chunksEmitted()).isEqualTo(6);
        assertThat(chunker.samplesPerChannel()).isEqualTo(2000);
    }

    @Test
    void anExactMultipleEndsWithAnEmptyEndOfStreamMarker() {
        CallChunker chunker = new CallChunker(STEREO_MULAW, 800, 0L);
        chunker.append(new byte[][] {new byte[1600], new byte[1600]});

        List<AudioChunk> last = chunker.finish();

        assertThat(last).hasSize(2).allMatch(AudioChunk::getEndOfStream).allMatch(c -> c.getPayload().remaining() == 0);
        assertThat(last).extracting(AudioChunk::getSequence).containsOnly(2L);
    }

    @Test
    void interleavedPiecesOfAnySizeGiveTheSameChunksAsPreSplitAudio() {
        CallFormat pcmStereo = new CallFormat("c", 16000, AudioEncoding.PCM_S16LE,
                List.of(SpeakerRole.HOST, SpeakerRole.GUEST), "ws:test");
        Random random = new Random(7);
        byte[] interleaved = new byte[4 * 3001];
        random.nextBytes(interleaved);
        byte[][] split = Interleaving.split(interleaved, 0, 3001, 2, 2);

        CallChunker whole = new CallChunker(pcmStereo, 320, 0L);
        List<AudioChunk> expected = new ArrayList<>(whole.append(split));
        expected.addAll(whole.finish());

        CallChunker pieces = new CallChunker(pcmStereo, 320, 0L);
        List<AudioChunk> actual = new ArrayList<>();
        int offset = 0;
        while (offset < interleaved.length) {
            int n = Math.min(1 + random.nextInt(997), interleaved.length - offset);
            actual.addAll(pieces.appendInterleaved(interleaved, offset, n));
            offset += n;
        }
        assertThat(pieces.danglingBytes()).isZero();
        actual.addAll(pieces.finish());

        assertThat(actual).isEqualTo(expected);
        assertThat(reassemble(actual, 1)).isEqualTo(split[1]);
    }

    @Test
    void aPieceEndingInsideAFrameWaitsForTheRestOfIt() {
        CallFormat pcmStereo = new CallFormat("c", 16000, AudioEncoding.PCM_S16LE,
                List.of(SpeakerRole.AGENT, SpeakerRole.CUSTOMER), "ws:test");
        CallChunker chunker = new CallChunker(pcmStereo, 2, 0L);

        assertThat(chunker.appendInterleaved(new byte[] {1, 2, 3, 4, 5, 6, 7}, 0, 7)).isEmpty();
        assertThat(chunker.danglingBytes()).isEqualTo(3);
        List<AudioChunk> chunks = chunker.appendInterleaved(new byte[] {8}, 0, 1);

        assertThat(chunks).hasSize(2);
        assertThat(bytes(chunks.get(0))).containsExactly(1, 2, 5, 6);
        assertThat(bytes(chunks.get(1))).containsExactly(3, 4, 7, 8);
    }

    @Test
    void aFinishedCallTakesNoMoreAudio() {
        CallChunker chunker = new CallChunker(STEREO_MULAW, 80, 0L);
        chunker.finish();

        assertThatThrownBy(() -> chunker.append(new byte[][] {new byte[1], new byte[1]}))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void callIdsThatWouldMakeUtteranceIdsAmbiguousAreRefused() {
        assertThat(CallIds.problemWith("a/b")).contains("'/'");
        assertThat(CallIds.problemWith("")).contains("empty");
        assertThat(CallIds.problemWith("x".repeat(201))).contains("200");
        assertThat(CallIds.problemWith("call 7 (ok)")).isNull();
        assertThat(CallIds.fromFileName("support call.2024.wav")).isEqualTo("support call.2024");
    }

    @Test
    void rolesAreParsedCaseInsensitivelyAndUnknownOnesNamed() {
        assertThat(SpeakerRoles.parse("Agent, customer")).containsExactly(SpeakerRole.AGENT, SpeakerRole.CUSTOMER);
        assertThat(SpeakerRoles.forChannels(List.of(SpeakerRole.HOST), 3))
                .containsExactly(SpeakerRole.HOST, SpeakerRole.UNKNOWN, SpeakerRole.UNKNOWN);
        assertThatThrownBy(() -> SpeakerRoles.parse("agent,boss"))
                .hasMessage("unknown speaker role 'boss'; use one of agent, customer, host, guest, unknown");
    }

    static byte[] reassemble(List<AudioChunk> chunks, int channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.stream().filter(c -> c.getChannel() == channel).forEach(c -> out.writeBytes(bytes(c)));
        return out.toByteArray();
    }

    private static byte[] bytes(AudioChunk chunk) {
        byte[] b = new byte[chunk.getPayload().remaining()];
        chunk.getPayload().duplicate().get(b);
        return b;
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, value);
        return b;
    }
}
