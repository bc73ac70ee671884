package io.emostream.ingest.audiosocket;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads AudioSocket messages off a byte stream, one at a time, blocking: a reader that is not called does not
 * read, so TCP's window holds the peer back.
 */
final class AudioSocketReader {
    private static final int HEADER_BYTES = 3;

    private final DataInputStream in;
    private final int maxMessageBytes;

    /** @param maxMessageBytes largest message accepted, header included */
    AudioSocketReader(InputStream in, int maxMessageBytes) {
        this.in = new DataInputStream(in);
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The next message, or null when the stream ends between messages.
     *
     * @throws EOFException                 when the stream ends inside a message
     * @throws AudioSocketProtocolException for an unknown kind, a message over the size limit, or a payload its kind
     *                                      does not allow; nothing of that message's payload has been read
     */
    AudioSocketMessage next() throws IOException, AudioSocketProtocolException {
        int kind = in.read();
        if (kind < 0) {
            return null;
        }
        int length = in.readUnsignedShort();
        if (kind != AudioSocketMessage.KIND_HANGUP && kind != AudioSocketMessage.KIND_UUID
                && kind != AudioSocketMessage.KIND_DTMF && kind != AudioSocketMessage.KIND_ERROR
                && !AudioSocketMessage.AUDIO_RATES.containsKey(kind)) {
            throw new AudioSocketProtocolException(String.format("message kind 0x%02x is not an AudioSocket kind", kind));
        }
        if (HEADER_BYTES + length > maxMessageBytes) {
            throw new AudioSocketProtocolException(String.format(
                    "a message of kind 0x%02x with %d payload bytes is over the limit of %d bytes per message",
                    kind, length, maxMessageBytes));
        }
        if (kind == AudioSocketMessage.KIND_UUID && length != 16) {
            throw new AudioSocketProtocolException("the UUID message carries " + length + " bytes instead of 16");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return switch (kind) {
            case AudioSocketMessage.KIND_HANGUP -> new AudioSocketMessage.Hangup();
            case AudioSocketMessage.KIND_UUID -> AudioSocketMessage.Id.decode(payload);
            // One ASCII digit by the protocol; a DTMF message is only noted, so an odd one is not worth a refusal.
            case AudioSocketMessage.KIND_DTMF -> new AudioSocketMessage.Dtmf(length == 0 ? '?' : (char) (payload[0] & 0xff));
            case AudioSocketMessage.KIND_ERROR -> new AudioSocketMessage.Error(length == 0 ? null : payload[0] & 0xff);
            default -> new AudioSocketMessage.Audio(kind, AudioSocketMessage.AUDIO_RATES.get(kind), payload);
        };
    }
}
