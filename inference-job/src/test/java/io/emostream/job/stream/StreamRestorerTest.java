package io.emostream.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.audio.G711;
import io.emostream.audio.Resampler;
import io.emostream.audio.SampleDecoder;
import io.emostream.audio.SampleEncoding;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamRestorerTest {
    private static final int CHUNK = 1600;

    /** 16 kHz PCM chunks of 100 ms whose samples count up, so order and gaps show in the values. */
    private static AudioChunk pcm(long sequence, boolean end) {
        ByteBuffer payload = ByteBuffer.allocate(CHUNK * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < CHUNK; i++) {
            payload.putShort((short) ((sequence * CHUNK + i) % 30000));
        }
        payload.flip();
        return chunk(sequence, sequence * CHUNK, 16000, AudioEncoding.PCM_S16LE, payload, end);
    }

    private static AudioChunk chunk(long sequence, long firstSample, int rate, AudioEncoding encoding, ByteBuffer payload, boolean end) {
        return AudioChunk.newBuilder().setCallId("call-1").setChannel(1).setRole(SpeakerRole.CUSTOMER).setSequence(sequence)
                .setFirstSample(firstSample).setCaptureTimeMs(0).setIngestTimeMs(1000 + sequence).setSampleRate(rate)
                .setEncoding(encoding).setPayload(payload).setEndOfStream(end).setSource("file:call-1.wav").build();
    }

    private static float expected(long sample) {
        return (float) ((sample % 30000) / 32768.0);
    }

    private static List<AudioBlock> feed(StreamRestorer restorer, StreamState state, AudioChunk... chunks) {
        List<AudioBlock> blocks = new ArrayList<>();
        for (AudioChunk chunk : chunks) {
            StreamRestorer.Result result = restorer.accept(state, chunk);
            assertThat(result.rejections()).isEmpty();
            blocks.addAll(result.blocks());
        }
        return blocks;
    }

    private static float[] joined(List<AudioBlock> blocks) {
        float[] all = new float[0];
        long expectedStart = blocks.isEmpty() ? 0 : blocks.get(0).startSample;
        for (AudioBlock block : blocks) {
            assertThat(block.startSample).as("blocks follow each other").isEqualTo(expectedStart);
            expectedStart = block.endSample();
            int at = all.length;
            all = Arrays.copyOf(all, at + block.samples.length);
            System.arraycopy(block.samples, 0, all, at, block.samples.length);
        }
        return all;
    }

    @Test
    void chunksInOrderComeOutAsTheSameSamplesWithTheirPlaceInTheStream() {
        StreamState state = new StreamState();
        List<AudioBlock> blocks = feed(new StreamRestorer(StreamRestorer.Settings.defaults()), state,
                pcm(0, false), pcm(1, false), pcm(2, true));

        float[] audio = joined(blocks);
        assertThat(audio).hasSize(3 * CHUNK);
        for (int i = 0; i < audio.length; i++) {
            assertThat(audio[i]).isEqualTo(expected(i));
        }
        assertThat(blocks.get(0).callId).isEqualTo("call-1");
        assertThat(blocks.get(0).channel).isEqualTo(1);
        assertThat(blocks.get(0).role).isEqualTo("CUSTOMER");
        assertThat(blocks.get(2).endOfStream).isTrue();
        assertThat(blocks.get(2).lastIngestTimeMs).isEqualTo(1002);
        assertThat(state.ended).isTrue();
    }

    @Test
    void reorderedAndDuplicatedChunksGiveExactlyTheInOrderAudio() {
        StreamRestorer restorer = new StreamRestorer(StreamRestorer.Settings.defaults());
        float[] inOrder = joined(feed(restorer, new StreamState(), pcm(0, false), pcm(1, false), pcm(2, false), pcm(3, true)));
        StreamState state = new StreamState();

        float[] shuffled = joined(feed(restorer, state, pcm(2, false), pcm(0, false), pcm(0, false), pcm(3, true),
                pcm(2, false), pcm(1, false)));

        assertThat(shuffled).containsExactly(inOrder);
        assertThat(state.duplicates).isEqualTo(2);
    }

    @Test
    void aLostChunkIsBridgedWithSilenceOnceTheReorderWindowIsFull() {
        StreamRestorer restorer = new StreamRestorer(new StreamRestorer.Settings(2, 250, 500, Duration.ofMinutes(10)));
        StreamState state = new StreamState();

        List<AudioBlock> blocks = feed(restorer, state, pcm(0, false), pcm(2, false), pcm(3, false), pcm(4, true));

        float[] audio = joined(blocks);
        assertThat(audio).hasSize(5 * CHUNK);
        assertThat(Arrays.copyOfRange(audio, CHUNK, 2 * CHUNK)).containsOnly(0f);
        assertThat(audio[2 * CHUNK]).isEqualTo(expected(2 * CHUNK));
        assertThat(blocks).filteredOn(b -> b.bridgedSamples > 0).singleElement()
                .satisfies(b -> assertThat(b.bridgedSamples).isEqualTo(CHUNK));
        assertThat(state.bridgedSamples).isEqualTo(CHUNK);
    }

    @Test
    void givingUpOnAMissingChunkReleasesWhatWaitedBehindIt() {
        StreamRestorer restorer = new StreamRestorer(StreamRestorer.Settings.defaults());
        StreamState state = new StreamState();
        feed(restorer, state, pcm(0, false), pcm(2, false));
        assertThat(restorer.waiting(state)).isTrue();

        List<AudioBlock> released = restorer.giveUpWaiting(state).blocks();

        assertThat(restorer.waiting(state)).isFalse();
        assertThat(released).singleElement().satisfies(b -> {
            assertThat(b.startSample).isEqualTo(CHUNK);
            assertThat(b.bridgedSamples).isEqualTo(CHUNK);
            assertThat(b.samples[CHUNK]).isEqualTo(expected(2 * CHUNK));
        });
    }

    @Test
    void aLossTooLongToBridgeIsADiscontinuityAtTheRightPlace() {
        StreamRestorer restorer = new StreamRestorer(new StreamRestorer.Settings(1, 250, 100, Duration.ofMinutes(10)));
        StreamState state = new StreamState();

        List<AudioBlock> blocks = feed(restorer, state, pcm(0, false), pcm(3, false), pcm(4, false));

        AudioBlock after = blocks.stream().filter(b -> b.discontinuity).findFirst().orElseThrow();
        assertThat(after.startSample).isEqualTo(3 * CHUNK);
        assertThat(after.bridgedSamples).isZero();
        assertThat(after.samples[0]).isEqualTo(expected(3 * CHUNK));
        assertThat(state.skippedSamples).isEqualTo(2 * CHUNK);
    }

    @Test
    void aChunkAfterTheEndIsRejectedButALateDuplicateIsNot() {
        StreamRestorer restorer = new StreamRestorer(StreamRestorer.Settings.defaults());
        StreamState state = new StreamState();
        feed(restorer, state, pcm(0, false), pcm(1, true));

        StreamRestorer.Result duplicate = restorer.accept(state, pcm(1, false));
        StreamRestorer.Result late = restorer.accept(state, pcm(2, false));

        assertThat(duplicate.rejections()).isEmpty();
        assertThat(late.blocks()).isEmpty();
        assertThat(late.rejections()).singleElement().extracting(StreamRestorer.Rejection::reason)
                .isEqualTo("chunk 2 of call call-1 channel 1 arrived after the end of its stream (the last was 1);"
                        + " the producer must start a new call id to send more audio");
    }

    @Test
    void aChunkInAnotherFormatIsRejected() {
        StreamRestorer restorer = new StreamRestorer(StreamRestorer.Settings.defaults());
        StreamState state = new StreamState();
        feed(restorer, state, pcm(0, false));

        StreamRestorer.Result result = restorer.accept(state,
                chunk(1, CHUNK, 8000, AudioEncoding.MULAW, ByteBuffer.wrap(new byte[800]), false));

        assertThat(result.rejections()).singleElement().extracting(StreamRestorer.Rejection::reason).asString()
                .contains("changes the stream's format from 16000 Hz PCM_S16LE to 8000 Hz MULAW");
    }

    @Test
    void telephoneAudioIsDecodedAndResampledToSixteenKilohertzExactlyAsInOnePiece() {
        byte[] mulaw = new byte[8000];
        for (int i = 0; i < mulaw.length; i++) {
            mulaw[i] = G711.linearToUlaw((short) (12000 * Math.sin(2 * Math.PI * 300 * i / 8000.0)));
        }
        StreamRestorer restorer = new StreamRestorer(StreamRestorer.Settings.defaults());
        StreamState state = new StreamState();
        List<AudioBlock> blocks = new ArrayList<>();
        for (int seq = 0; seq < 10; seq++) {
            ByteBuffer payload = ByteBuffer.wrap(Arrays.copyOfRange(mulaw, seq * 800, seq * 800 + 800));
            blocks.addAll(restorer.accept(state, chunk(seq, seq * 800L, 8000, AudioEncoding.MULAW, payload, seq == 9)).blocks());
        }

        Resampler whole = new Resampler(8000, 16000);
        float[] decoded = SampleDecoder.toFloat(mulaw, SampleEncoding.MULAW);
        float[] once = whole.process(decoded);
        float[] tail = whole.flush();
        float[] expected = Arrays.copyOf(once, once.length + tail.length);
        System.arraycopy(tail, 0, expected, once.length, tail.length);

        assertThat(joined(blocks)).hasSize(16000).containsExactly(expected);
    }

    @Test
    void aPayloadThatIsNotWholeSamplesIsRejected() {
        StreamRestorer restorer = new StreamRestorer(StreamRestorer.Settings.defaults());
        StreamState state = new StreamState();

        StreamRestorer.Result result = restorer.accept(state,
                chunk(0, 0, 16000, AudioEncoding.PCM_S16LE, ByteBuffer.wrap(new byte[3]), false));

        assertThat(result.rejections()).singleElement().extracting(StreamRestorer.Rejection::reason).asString()
                .contains("holds 3 bytes, not a whole number of PCM_S16LE samples");
    }

    @Test
    void aChunkArrivingAfterItsGapWasBridgedIsRejectedNotTakenForADuplicate() {
        StreamRestorer restorer = new StreamRestorer(new StreamRestorer.Settings(1, 250, 500, Duration.ofMinutes(10)));
        StreamState state = new StreamState();
        feed(restorer, state, pcm(0, false), pcm(2, false), pcm(3, false));

        StreamRestorer.Result late = restorer.accept(state, pcm(1, false));

        assertThat(late.blocks()).isEmpty();
        assertThat(late.rejections()).singleElement().extracting(StreamRestorer.Rejection::reason).asString()
                .contains("chunk 1 of call call-1 channel 1 arrived after its place in the stream had been bridged");
        assertThat(state.duplicates).isZero();
    }

    @Test
    void chunksWaitingBeyondTheEndAreRejectedWithTheirBytes() {
        StreamRestorer restorer = new StreamRestorer(StreamRestorer.Settings.defaults());
        StreamState state = new StreamState();
        feed(restorer, state, pcm(0, false), pcm(5, false));

        StreamRestorer.Result end = restorer.accept(state, pcm(1, true));

        assertThat(end.blocks()).singleElement().matches(b -> b.endOfStream);
        assertThat(end.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).startsWith("chunk 5 of call call-1 channel 1 comes after the end of its stream (the last was 1)");
            assertThat(r.chunk().getPayload()).isEqualTo(pcm(5, false).getPayload());
        });
        assertThat(state.pending).isEmpty();
    }

    @Test
    void aChunkWithAnImpossibleRateIsRejectedBeforeItCanBreakTheStream() {
        StreamRestorer restorer = new StreamRestorer(StreamRestorer.Settings.defaults());
        StreamState state = new StreamState();

        StreamRestorer.Result result = restorer.accept(state,
                chunk(0, 0, 0, AudioEncoding.PCM_S16LE, ByteBuffer.wrap(new byte[4]), false));

        assertThat(result.rejections()).singleElement().extracting(StreamRestorer.Rejection::reason).asString()
                .contains("declares 0 Hz, outside 1000..384000 Hz");
        assertThat(state.started).isFalse();
        assertThat(feed(restorer, state, pcm(0, true))).hasSize(1);
    }
}
