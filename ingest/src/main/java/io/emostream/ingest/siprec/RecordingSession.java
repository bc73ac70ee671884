package io.emostream.ingest.siprec;

import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.chunk.CallIds;
import io.emostream.ingest.live.LiveCall;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sip.Dialog;

/**
 * One SIPREC recording session (one SIP dialog) as one live call: a channel per recorded stream, the metadata
 * that names who speaks on each, and the RTP streams feeding them. Thread-safe: SIP requests and the idle
 * watchdog reach it on different threads.
 */
final class RecordingSession {
    /** A call on hold ends after this many idle timeouts. */
    static final int HOLD_TIMEOUTS = 10;
    private final String sipCallId;
    private final LiveCall call;
    private final MediaPlan plan;
    private final List<String> labels;
    private final List<RtpStream> streams;
    private final Map<String, String> sipMetadata;
    private final RtpPorts ports;
    private final String mediaAddress;
    private RecordingMetadata metadata;
    private long sdpVersion;
    private long activityNanos = System.nanoTime();
    /** Whether every stream is held (or offered in a codec we do not take), and since when. */
    private boolean held;
    private long heldSinceNanos;
    private boolean ended;
    private volatile Dialog dialog;
    private volatile SdpOffer lastOffer;

    RecordingSession(String sipCallId, LiveCall call, MediaPlan plan, List<String> labels, List<RtpStream> streams,
                     Map<String, String> sipMetadata, RecordingMetadata metadata, RtpPorts ports, String mediaAddress) {
        this.sipCallId = sipCallId;
        this.call = call;
        this.plan = plan;
        this.labels = labels;
        this.streams = streams;
        this.sipMetadata = sipMetadata;
        this.metadata = metadata;
        this.ports = ports;
        this.mediaAddress = mediaAddress;
    }

    String sipCallId() {
        return sipCallId;
    }

    LiveCall call() {
        return call;
    }

    void start() {
        streams.forEach(RtpStream::start);
    }

    /** The SIP dialog the session runs in, once the INVITE has been answered: a BYE of ours goes there. */
    Dialog dialog() {
        return dialog;
    }

    void dialog(Dialog dialog) {
        this.dialog = dialog;
    }

    /** The SDP answer to the offer that set the call up. */
    synchronized String answer(SdpOffer offer) {
        lastOffer = offer;
        return plan.answer(offer, mediaAddress, sdpVersion, ports());
    }

    /**
     * A later offer (re-INVITE or UPDATE): streams the client holds stop being read, streams it resumes are read
     * again; the call keeps its channels and codec. Returns the answer.
     */
    synchronized String reoffer(SdpOffer offer) {
        List<RtpFormat> formats = plan.formatsIn(offer);
        boolean allHeld = true;
        for (int channel = 0; channel < streams.size(); channel++) {
            streams.get(channel).format(formats.get(channel));
            streams.get(channel).reoffered();
            allHeld &= formats.get(channel) == null;
        }
        activityNanos = System.nanoTime();
        // A hold lasts from the offer that started it: offers repeating it do not put its end off.
        if (allHeld && !held) {
            heldSinceNanos = activityNanos;
        }
        held = allHeld;
        sdpVersion++;
        lastOffer = offer;
        return plan.answer(offer, mediaAddress, sdpVersion, ports());
    }

    /** The session as it stands, for a re-INVITE without an offer (RFC 3261 §14.2: the answer then offers it). */
    synchronized String current() {
        return plan.answer(lastOffer, mediaAddress, sdpVersion, ports());
    }

    /** New metadata (a full or partial document): chunks from now on name the participants it names. */
    synchronized void update(RecordingMetadata later) {
        metadata = metadata.updatedBy(later);
        call.identify(identity(metadata, labels, sipMetadata));
    }

    /**
     * Why the call should end now, or null while it lives: no RTP (nor a new offer) for the idle timeout, or every
     * stream held for {@value #HOLD_TIMEOUTS} idle timeouts. A client on hold sends nothing, and that is no sign it
     * has gone; but a hold that outlasts any real one most likely lost its BYE.
     */
    synchronized String idle(long nowNanos, Duration idleTimeout) {
        if (held) {
            Duration cap = idleTimeout.multipliedBy(HOLD_TIMEOUTS);
            return nowNanos - heldSinceNanos > cap.toNanos() ? "on hold for " + cap.toSeconds() + " s" : null;
        }
        long newest = activityNanos;
        for (RtpStream stream : streams) {
            newest = Math.max(newest, stream.lastPacketNanos());
        }
        return nowNanos - newest > idleTimeout.toNanos() ? "no RTP for " + idleTimeout.toSeconds() + " s" : null;
    }

    /** Stops the streams and ends the call (end-of-stream on every channel). Idempotent. */
    void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        for (RtpStream stream : streams) {
            stream.stop();
            ports.release(stream.port());
        }
        call.end();
    }

    private List<Integer> ports() {
        return streams.stream().map(RtpStream::port).toList();
    }

    /**
     * A call id from the metadata's communication session: RFC 7865's {@code session_id} is a base64 UUID, written
     * as a UUID; any other id is kept with its '/' replaced. Without metadata, the recording dialog's Call-ID.
     */
    static String callId(RecordingMetadata metadata, String sipCallId) {
        String sessionId = metadata.sessionId();
        if (sessionId != null) {
            try {
                byte[] bytes = Base64.getDecoder().decode(sessionId);
                if (bytes.length == 16) {
                    ByteBuffer uuid = ByteBuffer.wrap(bytes);
                    return new UUID(uuid.getLong(), uuid.getLong()).toString();
                }
            } catch (IllegalArgumentException e) {
                // Not base64: used as it is, made valid below.
            }
            return validId(sessionId);
        }
        return validId(sipCallId);
    }

    /**
     * Speakers and source metadata from the recording metadata: each channel's speaker is its sender's name, or
     * AOR; the metadata names the recording dialog, the session and each participant.
     */
    static CallIdentity identity(RecordingMetadata metadata, List<String> labels, Map<String, String> sipMetadata) {
        List<String> speakers = new ArrayList<>();
        Map<String, String> keys = new LinkedHashMap<>(sipMetadata);
        putIfPresent(keys, "siprec.sessionId", metadata.sessionId());
        putIfPresent(keys, "siprec.sipSessionId", metadata.sipSessionId());
        int index = 0;
        for (RecordingMetadata.Participant participant : metadata.participants().values()) {
            putIfPresent(keys, "siprec.participant." + index + ".aor", participant.aor());
            putIfPresent(keys, "siprec.participant." + index + ".name", participant.name());
            index++;
        }
        for (int channel = 0; channel < labels.size(); channel++) {
            RecordingMetadata.Participant sender = labels.get(channel) == null ? null : metadata.senderOf(labels.get(channel));
            speakers.add(sender == null ? null : speakerName(sender.name() != null ? sender.name() : sender.aor()));
            putIfPresent(keys, "siprec.channel." + channel + ".aor", sender == null ? null : sender.aor());
        }
        return new CallIdentity(speakers, null, keys);
    }

    private static void putIfPresent(Map<String, String> keys, String key, String value) {
        if (value != null) {
            keys.put(key, value);
        }
    }

    /** A name as speaker names must be: no control characters, at most {@link CallIdentity#MAX_NAME} long. */
    private static String speakerName(String name) {
        if (name == null) {
            return null;
        }
        String clean = name.replaceAll("\\p{Cntrl}", " ").strip();
        if (clean.isEmpty()) {
            return null;
        }
        return clean.length() > CallIdentity.MAX_NAME ? clean.substring(0, CallIdentity.MAX_NAME) : clean;
    }

    private static String validId(String id) {
        String clean = id.replace('/', '_').replaceAll("\\p{Cntrl}", "").strip();
        if (clean.length() > CallIds.MAX_LENGTH) {
            clean = clean.substring(0, CallIds.MAX_LENGTH);
        }
        return clean.isEmpty() ? "siprec-" + UUID.randomUUID() : clean;
    }
}
