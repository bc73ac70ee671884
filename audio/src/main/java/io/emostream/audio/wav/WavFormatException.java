package io.emostream.audio.wav;

import java.io.IOException;

/**
 * A file that cannot be read as WAV audio. The message is one sentence that continues the file's name, such as
 * "is empty (0 bytes)", so callers report it as {@code name + " " + message}.
 */
public final class WavFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    WavFormatException(String message) {
        super(message);
    }
}
