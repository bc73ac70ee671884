package io.emostream.ingest.media;

/** A media file that cannot be decoded, with the reason in one phrase the user can act on (the file is named by the caller). */
public final class MediaException extends Exception {
    public MediaException(String reason) {
        super(reason, null, false, false);
    }
}
