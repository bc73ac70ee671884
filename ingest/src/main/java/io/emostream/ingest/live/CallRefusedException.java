package io.emostream.ingest.live;

/** A live call that cannot start: its id is in use or already streamed, or the process is at its call limit. */
public final class CallRefusedException extends Exception {
    private final boolean alreadyEnded;

    public CallRefusedException(String message, boolean alreadyEnded) {
        super(message);
        this.alreadyEnded = alreadyEnded;
    }

    /** True when the id has been streamed and ended here: a platform's new session for the same call needs a new id. */
    public boolean alreadyEnded() {
        return alreadyEnded;
    }
}
