package io.emostream.ingest.twilio;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.live.CallRefusedException;
import io.emostream.ingest.live.LiveCall;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.twilio.TwilioMessage.Connected;
import io.emostream.ingest.twilio.TwilioMessage.Dtmf;
import io.emostream.ingest.twilio.TwilioMessage.Mark;
import io.emostream.ingest.twilio.TwilioMessage.Media;
import io.emostream.ingest.twilio.TwilioMessage.Other;
import io.emostream.ingest.twilio.TwilioMessage.Start;
import io.emostream.ingest.twilio.TwilioMessage.Stop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Twilio media stream on one WebSocket: {@code connected}, {@code start} (the call opens), {@code media} for each
 * track placed on the call's timeline by its timestamp, {@code stop} (the call ends). However the connection ends —
 * stop, close, drop, idle timeout, a message it cannot take — the call is ended, so what was received is published and
 * every channel is marked end-of-stream. Audio is appended on Jetty's reader thread: when Kafka is slow, the append
 * blocks and Twilio's TCP window fills rather than a buffer here. Handlers are synchronized because a close or an
 * error may arrive while a message is being handled. Public only because Jetty binds its handler methods through a
 * public lookup.
 */
public final class TwilioStreamSocket implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioStreamSocket.class);
    /** A close frame's reason holds at most 123 bytes. */
    private static final int MAX_CLOSE_REASON_BYTES = 123;

    private final LiveCalls calls;
    private final TwilioSettings settings;
    private final String peer;
    /** Read by Kafka's thread when the call becomes undeliverable, which must not wait for this socket's lock. */
    private volatile Session session;
    private StreamCall stream;
    private LiveCall call;
    /** Set once the stream has stopped or been refused: later messages are not looked at. */
    private boolean finished;
    private long dtmfKeys;

    TwilioStreamSocket(LiveCalls calls, TwilioSettings settings, String peer) {
        this.calls = calls;
        this.settings = settings;
        this.peer = peer;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public synchronized void onWebSocketText(String text) {
        if (finished) {
            return;
        }
        TwilioMessage message;
        try {
            message = MessageReader.read(text);
        } catch (InvalidInputException e) {
            refuse(StatusCode.POLICY_VIOLATION, e.getMessage());
            return;
        }
        if (message instanceof Media media) {
            media(media);
        } else if (message instanceof Start start) {
            start(start);
        } else if (message instanceof Stop) {
            finish("stopped by Twilio");
            session.close(StatusCode.NORMAL, "stream stopped", Callback.NOOP);
        } else if (message instanceof Dtmf dtmf) {
            // The digits are not logged or kept: callers key in card numbers and PINs.
            dtmfKeys++;
            LOG.debug("Twilio call {}: a DTMF key on {}", callId(), dtmf.track());
        } else if (message instanceof Connected connected) {
            LOG.debug("Twilio stream from {} connected: protocol {} {}", peer, connected.protocol(), connected.version());
        } else if (message instanceof Mark mark) {
            LOG.debug("Twilio call {}: mark {}", callId(), mark.name());
        } else if (message instanceof Other other) {
            LOG.debug("Twilio call {}: ignored a '{}' message", callId(), other.event());
        }
    }

    @Override
    public synchronized void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        if (!finished) {
            refuse(StatusCode.BAD_DATA, "Twilio Media Streams send JSON text messages, but a binary message arrived");
        }
    }

    @Override
    public synchronized void onWebSocketClose(int statusCode, String reason) {
        finish("connection closed (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
    }

    @Override
    public synchronized void onWebSocketError(Throwable cause) {
        LOG.warn("Twilio call {} from {} failed: {}", callId(), peer,
                cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        finish("connection failed");
    }

    private void start(Start start) {
        if (call != null) {
            refuse(StatusCode.POLICY_VIOLATION, "a second start message arrived; one stream carries one call");
            return;
        }
        try {
            stream = StreamCall.of(start, settings, peer);
            call = calls.open(stream.format(), this::undeliverable);
        } catch (InvalidInputException | CallRefusedException e) {
            stream = null;
            refuse(StatusCode.POLICY_VIOLATION, e.getMessage());
            return;
        }
        LOG.info("Twilio call {} started from {}: stream {}, {}", start.callSid(), peer, start.streamSid(), stream.describe());
    }

    private void media(Media media) {
        if (call == null) {
            refuse(StatusCode.POLICY_VIOLATION, "media arrived before the start message");
            return;
        }
        int channel = stream.channel(media.track());
        if (channel < 0) {
            refuse(StatusCode.POLICY_VIOLATION, "media arrived for the " + media.track().wireName()
                    + " track, which the start message did not list");
            return;
        }
        long atSample = StreamCall.atSample(call.position(channel), media.timestampMs());
        call.appendTrack(channel, media.payload(), 0, media.payload().length, atSample);
    }

    /** Ends the call, if one started and has not ended: what was received goes out, every channel ends. */
    private void finish(String how) {
        finished = true;
        if (call == null || call.isEnded()) {
            return;
        }
        LiveCall ending = call;
        double seconds = (double) ending.length() / MessageReader.SAMPLE_RATE;
        ending.end().thenAccept(delivery -> LOG.info(
                "Twilio call {} ended, {}: {} s, {} DTMF keys, {} chunks delivered, {} failed, {} bytes dropped,"
                        + " {} samples dropped as repeats of earlier timestamps",
                delivery.callId(), how, Math.round(seconds * 10) / 10.0, dtmfKeys, delivery.delivered(), delivery.failed(),
                ending.droppedBytes(), ending.repeatedSamples()));
    }

    private void refuse(int statusCode, String reason) {
        LOG.warn("Closing Twilio stream {} from {}: {}", call == null ? "(no call yet)" : "of call " + callId(), peer, reason);
        finish("refused");
        session.close(statusCode, closeReason(reason), Callback.NOOP);
    }

    /** Kafka refused the call's audio: Twilio is told with the close code for a server error. Must not block. */
    private void undeliverable(String sentence) {
        session.close(StatusCode.SERVER_ERROR, closeReason(sentence), Callback.NOOP);
    }

    private String callId() {
        return call == null ? "(not started)" : call.format().callId();
    }

    /** The sentence, cut to what a close frame holds. */
    static String closeReason(String sentence) {
        byte[] bytes = sentence.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_CLOSE_REASON_BYTES) {
            return sentence;
        }
        StringBuilder cut = new StringBuilder();
        int used = 3;
        for (int i = 0; i < sentence.length(); ) {
            int codePoint = sentence.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > MAX_CLOSE_REASON_BYTES) {
                break;
            }
            cut.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        return cut.append("...").toString();
    }
}
