package io.emostream.ingest.audiosocket;

import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.live.CallRefusedException;
import io.emostream.ingest.live.LiveCall;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveLimits;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AudioSocket connection, one call with one channel: the UUID names the call, the first audio message fixes its
 * sample rate and opens it, a hangup or the end of the connection ends it. Messages are read and appended on this
 * connection's own thread, so a slow Kafka (appends block) stops the reading and TCP holds Asterisk back. However the
 * connection ends, the call is ended: what was received is published and its channel marked end-of-stream.
 */
final class AudioSocketConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AudioSocketConnection.class);
    private static final int READ_BUFFER_BYTES = 8192;
    private static final Duration HANGUP_WAIT = Duration.ofSeconds(2);

    private final Socket socket;
    private final String peer;
    private final SpeakerRole role;
    private final LiveCalls calls;
    private final LiveLimits limits;
    private String callId;
    private LiveCall call;
    private int audioKind;
    private int dtmfDigits;
    private boolean callEnded;
    private boolean closing;
    private volatile String undeliverable;
    private final AtomicBoolean hungUp = new AtomicBoolean();

    AudioSocketConnection(Socket socket, String peer, SpeakerRole role, LiveCalls calls) {
        this.socket = socket;
        this.peer = peer;
        this.role = role;
        this.calls = calls;
        this.limits = calls.limits();
    }

    @Override
    public void run() {
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()));
            InputStream in = new BufferedInputStream(socket.getInputStream(), READ_BUFFER_BYTES);
            AudioSocketReader reader = new AudioSocketReader(in, limits.maxMessageBytes());
            for (AudioSocketMessage message = reader.next(); message != null; message = reader.next()) {
                if (message instanceof AudioSocketMessage.Hangup) {
                    endCall("Asterisk hung up");
                    return;
                }
                handle(message);
                if (undeliverable != null) {
                    // LiveCalls has logged why; Asterisk is told to hang up rather than stream into nothing.
                    hangUp();
                    endCall("undeliverable");
                    return;
                }
            }
            endCall(undeliverable != null ? "undeliverable" : "the connection closed");
        } catch (AudioSocketProtocolException | CallRefusedException e) {
            LOG.warn("AudioSocket {} refused: {}", who(), e.getMessage());
            hangUp();
            endCall("refused");
        } catch (SocketTimeoutException e) {
            LOG.warn("AudioSocket {} sent nothing for {} s and is hung up", who(), limits.idleTimeout().toSeconds());
            hangUp();
            endCall("idle");
        } catch (EOFException e) {
            endCall("the connection closed inside a message");
        } catch (IOException e) {
            if (!isClosing()) {
                LOG.warn("AudioSocket {} failed: {}", who(), e.getMessage());
            }
            endCall("the connection failed");
        } finally {
            // Also when something unforeseen was thrown: the call is ended either way.
            endCall("the connection ended");
            closeSocket();
        }
    }

    /**
     * Kafka refused the call's audio (told on a thread of LiveCalls'): Asterisk is told to hang up. The reader goes on
     * reading what Asterisk sent before it saw the hangup, then Asterisk closes its side and the reader ends the call.
     * Its input is not shut here: what Asterisk sent meanwhile would then stay unread, and closing a socket with unread
     * data resets the connection, which can discard the hangup before Asterisk reads it.
     */
    private void undeliverable(String reason) {
        undeliverable = reason;
        sendHangup();
    }

    /** Ends the call with what it has received and closes the connection: the server is stopping. */
    void close() {
        synchronized (this) {
            closing = true;
        }
        endCall("the server stopped");
        closeSocket();
    }

    private void handle(AudioSocketMessage message) throws AudioSocketProtocolException, CallRefusedException {
        if (message instanceof AudioSocketMessage.Id id) {
            if (callId != null) {
                throw new AudioSocketProtocolException("a second UUID message arrived");
            }
            callId = id.uuid().toString();
        } else if (message instanceof AudioSocketMessage.Audio audio) {
            append(audio);
        } else if (message instanceof AudioSocketMessage.Dtmf) {
            // Digits can be card numbers or PINs: counted, never logged.
            dtmfDigits++;
        } else if (message instanceof AudioSocketMessage.Error error) {
            LOG.warn("Asterisk reports an error on AudioSocket {}: {}", who(), error.describe());
        }
    }

    private void append(AudioSocketMessage.Audio audio) throws AudioSocketProtocolException, CallRefusedException {
        if (callId == null) {
            throw new AudioSocketProtocolException("audio arrived before the UUID message");
        }
        LiveCall open = call == null ? open(audio) : call;
        if (audio.kind() != audioKind) {
            throw new AudioSocketProtocolException(String.format(
                    "audio of kind 0x%02x (%d Hz) arrived in a call that started with kind 0x%02x (%d Hz)",
                    audio.kind(), audio.sampleRate(), audioKind, open.format().sampleRate()));
        }
        open.appendInterleaved(audio.samples(), 0, audio.samples().length);
    }

    private LiveCall open(AudioSocketMessage.Audio first) throws CallRefusedException {
        CallFormat format = new CallFormat(callId, first.sampleRate(), AudioEncoding.PCM_S16LE, List.of(role),
                "audiosocket:" + peer);
        synchronized (this) {
            if (closing) {
                throw new CallRefusedException("the server is stopping", false);
            }
            call = calls.open(format, this::undeliverable);
        }
        audioKind = first.kind();
        LOG.info("AudioSocket call {} started from {}: {} Hz, {}", callId, peer, first.sampleRate(),
                role.name().toLowerCase(Locale.ROOT));
        return call;
    }

    private void endCall(String why) {
        LiveCall ending;
        synchronized (this) {
            if (call == null || callEnded) {
                return;
            }
            callEnded = true;
            ending = call;
        }
        ending.end();
        LOG.info("AudioSocket call {} from {} ended ({}): {} s of audio, DTMF digits: {}", callId, peer, why,
                String.format("%.2f", (double) ending.length() / ending.format().sampleRate()), dtmfDigits);
    }

    /**
     * Sends AudioSocket's hangup and waits, briefly, for Asterisk to close its side. Closing with Asterisk's
     * messages still unread would reset the connection, and a reset can discard the hangup before Asterisk reads it.
     */
    private void hangUp() {
        sendHangup();
        try {
            socket.setSoTimeout((int) HANGUP_WAIT.toMillis());
            long deadline = System.nanoTime() + HANGUP_WAIT.toNanos();
            InputStream in = socket.getInputStream();
            byte[] discard = new byte[READ_BUFFER_BYTES];
            while (in.read(discard) >= 0 && System.nanoTime() < deadline) {
                // Asterisk's last messages before it saw the hangup: not part of the call any more.
            }
        } catch (IOException e) {
            // The peer is gone or slow to go: closing is all that is left.
        }
    }

    /** Sends AudioSocket's hangup and closes this side's output, once, whichever thread asks first. */
    private void sendHangup() {
        if (hungUp.compareAndSet(false, true)) {
            try {
                socket.getOutputStream().write(AudioSocketMessage.HANGUP_BYTES);
                socket.shutdownOutput();
            } catch (IOException e) {
                // The connection is gone already: the reader ends the call.
            }
        }
    }

    private synchronized boolean isClosing() {
        return closing;
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do; a failure changes nothing.
        }
    }

    private String who() {
        return callId == null ? "connection from " + peer : "call " + callId + " from " + peer;
    }
}
