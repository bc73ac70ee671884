package io.emostream.ingest.audiosocket;

/** A peer broke the AudioSocket protocol; the message is one sentence saying how. */
final class AudioSocketProtocolException extends Exception {
    AudioSocketProtocolException(String message) {
        super(message);
    }
}
