package io.emostream.job.asr;

/**
 * The seam speech recognisers plug into: Sphinx4 embedded, whisper.cpp with a user-supplied model. Implementations need not be
 * thread-safe; the job gives each recognition thread its own.
 */
public interface SpeechRecognizer extends AutoCloseable {

    /** What the transcript of 16 kHz mono audio in [-1, 1] says; empty when nothing was recognised. */
    String transcribe(float[] samples) throws Exception;

    @Override
    void close();
}
