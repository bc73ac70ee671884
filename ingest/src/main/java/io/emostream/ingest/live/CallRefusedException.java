package io.emostream.ingest.live;

/** A live call that cannot start: its id is in use or already streamed, or the process is at its call limit. */
public final class CallRefusedException extends Exception {
    public CallRefusedException(String message) {
        super(message);
    }
}
