package io.emostream.launcher.evaluate;

/** A manifest the user must fix, described in one sentence that names the file and the line. */
public final class ManifestException extends RuntimeException {
    public ManifestException(String message) {
        super(message);
    }
}
