package io.emostream.job.asr;

import java.io.IOException;

/**
 * Makes the recognisers a setting names, one per thread, sharing what is loaded once: the whisper.cpp model.
 * Opened with the operator and closed with it, after every recogniser it made.
 */
public final class SpeechRecognizers implements AutoCloseable {
    private final WhisperModel whisper;

    private SpeechRecognizers(WhisperModel whisper) {
        this.whisper = whisper;
    }

    /** Loads a whisper model now, so a bad file stops the caller before the first utterance, with its one sentence. */
    public static SpeechRecognizers open(TranscribeUtterances.Settings settings) throws IOException {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("speech recognition is off ('" + settings.recognizer() + "')");
        }
        return new SpeechRecognizers(settings.whisperModel().isPresent() ? WhisperModel.load(settings.whisperModel().get()) : null);
    }

    public SpeechRecognizer newRecognizer() throws IOException {
        return whisper != null ? whisper.newRecognizer() : SphinxRecognizer.load();
    }

    @Override
    public void close() {
        if (whisper != null) {
            whisper.close();
        }
    }
}
