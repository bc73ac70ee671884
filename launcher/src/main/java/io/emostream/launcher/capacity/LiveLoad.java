package io.emostream.launcher.capacity;

import io.emostream.ingest.kafka.CallDelivery;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.schema.AudioChunk;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * N live speaker streams paced at real time: every stream sends a chunk of 16 kHz PCM every {@code chunkMs},
 * cut from the sample speech (looped) from its own random starting point, as a phone system's media gateway
 * would. Streams start spread over one chunk interval so their sends do not all fall on the same millisecond.
 */
public final class LiveLoad implements AutoCloseable {
    private static final int SAMPLE_RATE = 16_000;
    /** How often the pacing thread looks for chunks that are due. */
    private static final long TICK_MS = 5;

    private final ChunkPublisher publisher;
    private final byte[] speechPcm;
    private final int chunkBytes;
    private final long chunkMs;
    private final List<Stream> streams = new ArrayList<>();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "emostream-bench-load");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long chunksSent;
    private volatile long lateTicks;
    private volatile long sendErrors;

    private static final class Stream {
        final String callId;
        final CallDelivery delivery;
        int position;
        long sequence;
        long nextDueMs;

        Stream(String callId, int position, long firstDueMs) {
            this.callId = callId;
            this.delivery = new CallDelivery(callId);
            this.position = position;
            this.nextDueMs = firstDueMs;
        }
    }

    /**
     * @param speech   16 kHz mono samples in [-1, 1] to loop
     * @param callIdPrefix streams are named prefix-0, prefix-1, …
     * @param seed     for the starting points, so runs are comparable
     */
    public LiveLoad(ChunkPublisher publisher, float[] speech, int streamCount, long chunkMs, String callIdPrefix, long seed) {
        this.publisher = publisher;
        this.chunkMs = chunkMs;
        this.chunkBytes = (int) (SAMPLE_RATE * chunkMs / 1000) * 2;
        this.speechPcm = pcm(speech);
        Random random = new Random(seed);
        long start = System.currentTimeMillis() + chunkMs;
        for (int i = 0; i < streamCount; i++) {
            int offset = random.nextInt(speech.length) * 2;
            streams.add(new Stream(callIdPrefix + "-" + i, offset, start + i * chunkMs / Math.max(1, streamCount)));
        }
    }

    public void start() {
        pacer.scheduleAtFixedRate(this::sendDue, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Chunks sent so far, by all streams. */
    public long chunksSent() {
        return chunksSent;
    }

    /** Pacing rounds that found a chunk more than one interval overdue: the generator itself could not keep up. */
    public long lateTicks() {
        return lateTicks;
    }

    /** Chunks the producer refused to take (its buffer full, the broker gone) or failed to deliver. */
    public long sendErrors() {
        return sendErrors + publisher.failed();
    }

    private void sendDue() {
        long now = System.currentTimeMillis();
        boolean late = false;
        for (Stream stream : streams) {
            late |= now - stream.nextDueMs > chunkMs;
            while (stream.nextDueMs <= now) {
                try {
                    publisher.send(chunk(stream), stream.delivery);
                    chunksSent++;
                } catch (RuntimeException refused) {
                    // A failed send must not stop the pacer (a scheduled task that throws never runs again).
                    sendErrors++;
                }
                stream.nextDueMs += chunkMs;
            }
        }
        if (late) {
            lateTicks++;
        }
    }

    private AudioChunk chunk(Stream stream) {
        byte[] payload = new byte[chunkBytes];
        for (int filled = 0; filled < chunkBytes; ) {
            int n = Math.min(chunkBytes - filled, speechPcm.length - stream.position);
            System.arraycopy(speechPcm, stream.position, payload, filled, n);
            filled += n;
            stream.position = (stream.position + n) % speechPcm.length;
        }
        long firstSample = stream.sequence * chunkBytes / 2;
        return AudioChunk.newBuilder().setCallId(stream.callId).setChannel(0).setRole(SpeakerRole.CUSTOMER)
                .setSequence(stream.sequence++).setFirstSample(firstSample).setCaptureTimeMs(stream.nextDueMs)
                .setIngestTimeMs(0).setSampleRate(SAMPLE_RATE).setEncoding(AudioEncoding.PCM_S16LE)
                .setPayload(ByteBuffer.wrap(payload)).setEndOfStream(false).setSource("bench:").setChannels(1).build();
    }

    private static byte[] pcm(float[] samples) {
        ByteBuffer out = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float sample : samples) {
            out.putShort((short) Math.round(Math.max(-1f, Math.min(1f, sample)) * 32767f));
        }
        return out.array();
    }

    /** Stops pacing and ends every stream with an end-of-stream marker, as a call that hangs up. */
    public void finish() {
        stopPacing();
        for (Stream stream : streams) {
            AudioChunk end = AudioChunk.newBuilder().setCallId(stream.callId).setChannel(0).setRole(SpeakerRole.CUSTOMER)
                    .setSequence(stream.sequence).setFirstSample(stream.sequence * chunkBytes / 2)
                    .setCaptureTimeMs(System.currentTimeMillis()).setIngestTimeMs(0).setSampleRate(SAMPLE_RATE)
                    .setEncoding(AudioEncoding.PCM_S16LE).setPayload(ByteBuffer.allocate(0)).setEndOfStream(true)
                    .setSource("bench:").setChannels(1).build();
            try {
                publisher.send(end, stream.delivery);
            } catch (RuntimeException refused) {
                sendErrors++;
            }
        }
    }

    @Override
    public void close() {
        stopPacing();
    }

    private void stopPacing() {
        pacer.shutdownNow();
        try {
            pacer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
