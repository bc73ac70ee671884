package io.emostream.job.asr;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import io.github.givimad.whisperjni.WhisperState;
import java.io.IOException;
import java.util.Arrays;

/**
 * whisper.cpp on one utterance at a time, with its own decoding state over a shared {@link WhisperModel}. Each
 * utterance is decoded on its own (no context carried over from the previous one, so a failover replays to the
 * same words), greedily, as one segment without timestamps, on one CPU thread: the stage's parallelism comes
 * from its recognition threads.
 */
public final class WhisperRecognizer implements SpeechRecognizer {
    /** whisper.cpp returns nothing for less than a second of audio, so shorter utterances get trailing silence. */
    static final int SHORTEST = 16_000 + 1_600;

    private final WhisperJNI whisper;
    private final WhisperContext context;
    private final WhisperState state;
    private final WhisperFullParams params;

    WhisperRecognizer(WhisperJNI whisper, WhisperContext context, WhisperState state) {
        this.whisper = whisper;
        this.context = context;
        this.state = state;
        this.params = new WhisperFullParams(WhisperSamplingStrategy.GREEDY);
        params.nThreads = 1;
        params.language = "en";
        params.noContext = true;
        params.noTimestamps = true;
        params.singleSegment = true;
        params.printProgress = false;
        params.printRealtime = false;
        params.printTimestamps = false;
        params.printSpecial = false;
    }

    @Override
    public String transcribe(float[] samples) throws IOException {
        float[] audio = samples.length >= SHORTEST ? samples : Arrays.copyOf(samples, SHORTEST);
        int status = whisper.fullWithState(context, state, params, audio, audio.length);
        if (status != 0) {
            throw new IOException("whisper.cpp returned status " + status);
        }
        StringBuilder transcript = new StringBuilder();
        int segments = whisper.fullNSegmentsFromState(state);
        for (int i = 0; i < segments; i++) {
            String text = whisper.fullGetSegmentTextFromState(state, i).strip();
            if (!text.isEmpty()) {
                transcript.append(transcript.length() == 0 ? "" : " ").append(text);
            }
        }
        return transcript.toString();
    }

    @Override
    public void close() {
        whisper.free(state);
    }
}
