package io.emostream.ingest.siprec;

import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.chunk.SpeakerRoles;
import io.emostream.ingest.live.CallRefusedException;
import io.emostream.ingest.live.LiveCall;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.TlsSettings;
import io.emostream.schema.SpeakerRole;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RequireHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIPREC recording server (RFC 7866) on the JAIN-SIP reference stack: a session recording client (an SBC, a PBX)
 * sends an INVITE with {@code Require: siprec}, an SDP offer with a labelled {@code sendonly} audio stream per
 * participant and the recording metadata (RFC 7865); each recording session becomes one live call with a channel
 * per stream. Re-INVITEs and UPDATEs bring new metadata or SDP, BYE ends the call, OPTIONS is answered; RTP silence
 * for the idle timeout ends the call with a BYE of ours, as does a call Kafka cannot take.
 *
 * <p>Answers, as RFC 3261 and RFC 7866 have them: an INVITE that is not a recording session 488 (with a Warning
 * saying this is a SIPREC server), a Require naming an extension other than siprec 420, malformed metadata or SDP
 * 400, no codec we take 488 (Warning 305), a call over the limit or no free RTP port 503, a source not on the
 * allow-list 403, a CANCEL or in-dialog request that matches nothing 481.
 *
 * <p>Ending a call waits for its streams' readers and for Kafka, so it happens on threads of its own, never on
 * the SIP stack's or the watchdog's: a BYE is answered at once however slow Kafka is.
 */
public final class SiprecServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SiprecServer.class);
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final SecureRandom TAGS = new SecureRandom();
    private static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE";
    /** {@code +sip.src} (RFC 7866 §6.1) or the bare {@code src} some clients write, as a Contact parameter. */
    private static final Pattern SRC_FEATURE = Pattern.compile(";\\s*\\+?(sip\\.)?src\\b", Pattern.CASE_INSENSITIVE);

    private final SiprecSettings settings;
    private final LiveCalls calls;
    private final SipStack stack;
    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final RtpPorts rtpPorts;
    private final String mediaAddress;
    private final int sipPort;
    private final int tlsPort;
    private final Map<String, RecordingSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;
    /** Ends sessions: ending waits for each stream's reader and for Kafka, which no SIP thread may do. */
    private final ExecutorService ending;
    /** BYEs of ours waiting for the ACK of the call's 200 OK (RFC 3261 §15: no BYE before it), by Call-ID. */
    private final Map<String, Runnable> byesAfterAck = new ConcurrentHashMap<>();
    private final Listener listener = new Listener();

    private SiprecServer(SiprecSettings settings, LiveCalls calls, SipStack stack, SipProvider provider,
                         SipFactory factory, RtpPorts rtpPorts, String mediaAddress, int sipPort, int tlsPort)
            throws javax.sip.PeerUnavailableException {
        this.settings = settings;
        this.calls = calls;
        this.stack = stack;
        this.provider = provider;
        this.messages = factory.createMessageFactory();
        this.headers = factory.createHeaderFactory();
        this.addresses = factory.createAddressFactory();
        this.rtpPorts = rtpPorts;
        this.mediaAddress = mediaAddress;
        this.sipPort = sipPort;
        this.tlsPort = tlsPort;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "siprec-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger enders = new AtomicInteger();
        this.ending = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "siprec-end-" + enders.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts listening. Throws {@link InvalidInputException} with one sentence when the settings cannot be used:
     * the SIP port is taken, the RTP range has no free port, a non-local host has no source allow-list.
     */
    public static SiprecServer start(SiprecSettings settings, LiveCalls calls) {
        InetAddress host;
        try {
            host = InetAddress.getByName(settings.host());
        } catch (UnknownHostException e) {
            throw new InvalidInputException("the SIPREC host '" + settings.host() + "' is not an address of this machine", e);
        }
        if (!host.isLoopbackAddress() && !settings.allowedSources().isConfigured()) {
            throw new InvalidInputException("a SIPREC server on " + settings.host() + " would take recordings from "
                    + "anyone: name the SBCs' addresses with --siprec-allow (e.g. 10.0.0.5,10.1.0.0/16), or 'any' "
                    + "behind a firewall that does");
        }
        RtpPorts rtpPorts = new RtpPorts(host, settings.rtpPorts());
        probe(rtpPorts, settings.rtpPorts());
        int port = settings.sipPort() == 0 ? freePort(host) : settings.sipPort();
        int tlsPort = settings.tls() == null ? -1 : settings.tlsPort();
        while (tlsPort == 0 || tlsPort == port) {
            tlsPort = freePort(host);
        }
        String mediaAddress = mediaAddress(settings, host);
        SipStack stack = null;
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            stack = factory.createSipStack(stackProperties(calls, settings.tls()));
            List<ListeningPoint> points = new ArrayList<>();
            for (SiprecSettings.Transport transport : settings.transports()) {
                points.add(listen(stack, settings.host(), port, transport.name().toLowerCase(Locale.ROOT)));
            }
            if (settings.tls() != null) {
                points.add(listen(stack, settings.host(), tlsPort, "tls"));
            }
            SipProvider provider = stack.createSipProvider(points.get(0));
            for (ListeningPoint point : points.subList(1, points.size())) {
                provider.addListeningPoint(point);
            }
            SiprecServer server = new SiprecServer(settings, calls, stack, provider, factory, rtpPorts, mediaAddress,
                    port, tlsPort);
            provider.addSipListener(server.listener);
            server.startWatchdog(calls.limits().idleTimeout());
            LOG.info("SIPREC recording server listening on {}:{} ({}){}, RTP on {}, agent rule {}", settings.host(), port,
                    settings.transports().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).sorted().toList(),
                    tlsPort < 0 ? "" : " and " + tlsPort + " (tls)", settings.rtpPorts(), settings.agentRule());
            return server;
        } catch (InvalidInputException e) {
            stopQuietly(stack);
            throw e;
        } catch (Exception e) {
            stopQuietly(stack);
            throw new IllegalStateException("the SIP stack could not be set up: " + e.getMessage(), e);
        }
    }

    /** The SIP port, the one picked when the settings asked for 0. */
    public int sipPort() {
        return sipPort;
    }

    /** The SIP over TLS port, the one picked when the settings asked for 0; -1 without TLS. */
    public int tlsPort() {
        return tlsPort;
    }

    /** Recording sessions in progress. */
    public int activeSessions() {
        return sessions.size();
    }

    /** Ends every call (end-of-stream on each channel) with a BYE to its client, and stops listening. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        for (String sipCallId : List.copyOf(sessions.keySet())) {
            hangUp(sipCallId, 503, "the recording server is shutting down");
        }
        ending.shutdown();
        try {
            // Each stream's reader gets 5 s to finish; Kafka answers the last chunks after that.
            if (!ending.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("SIPREC calls were still ending when the server stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        provider.removeSipListener(listener);
        stack.stop();
    }

    /** The stack's callbacks: requests are handled by the server, the rest only logged or left to the stack. */
    private final class Listener implements SipListener {
        @Override
        public void processRequest(RequestEvent event) {
            Request request = event.getRequest();
            ServerTransaction transaction = event.getServerTransaction();
            if (transaction == null && !request.getMethod().equals(Request.ACK)) {
                try {
                    // At once, so that a retransmission (UDP) finds the transaction and is not a new request.
                    transaction = provider.getNewServerTransaction(request);
                } catch (TransactionAlreadyExistsException e) {
                    return;
                } catch (SipException e) {
                    LOG.warn("SIPREC {} could not be taken: {}", request.getMethod(), e.getMessage());
                    return;
                }
            }
            Incoming in = new Incoming(request, transaction);
            try {
                String remote = ((RequestEventExt) event).getRemoteIpAddress();
                if (!settings.allowedSources().allows(InetAddress.getByName(remote))) {
                    LOG.warn("SIPREC {} from {} refused: the address is not on the source allow-list", request.getMethod(), remote);
                    if (!request.getMethod().equals(Request.ACK)) {
                        respond(in, Response.FORBIDDEN, null, "this address may not send recordings here");
                    }
                    return;
                }
                List<String> unsupported = unsupportedRequirements(request);
                if (!unsupported.isEmpty()) {
                    LOG.warn("SIPREC {} from {} refused: it requires {}, which emostream does not support",
                            request.getMethod(), remote, unsupported);
                    Response response = messages.createResponse(Response.BAD_EXTENSION, request);
                    response.setReasonPhrase("Bad Extension");
                    for (String tag : unsupported) {
                        response.addHeader(headers.createUnsupportedHeader(tag));
                    }
                    send(in, response);
                    return;
                }
                switch (request.getMethod()) {
                    case Request.INVITE -> {
                        if (toTag(request) == null) {
                            invite(in, remote + ":" + ((RequestEventExt) event).getRemotePort());
                        } else {
                            reoffer(in);
                        }
                    }
                    case Request.UPDATE -> reoffer(in);
                    case Request.BYE -> bye(in);
                    case Request.OPTIONS -> options(in);
                    case Request.CANCEL -> cancel(in);
                    case Request.ACK -> {
                        // The dialog is confirmed; audio may already be flowing, or a BYE of ours waited for this.
                        Runnable bye = byesAfterAck.remove(callId(request));
                        if (bye != null) {
                            bye.run();
                        }
                    }
                    default -> {
                        Response response = messages.createResponse(Response.METHOD_NOT_ALLOWED, request);
                        response.addHeader(headers.createAllowHeader(ALLOW));
                        send(in, response);
                    }
                }
            } catch (Exception e) {
                LOG.error("SIPREC {} could not be handled: {}", request.getMethod(), e.toString(), e);
                if (!request.getMethod().equals(Request.ACK)) {
                    respondQuietly(in, Response.SERVER_INTERNAL_ERROR, null, "the recording server failed: " + e.getMessage());
                }
            }
        }

        @Override
        public void processResponse(ResponseEvent event) {
            // Only our BYEs get answers, and a BYE ends the call whatever the answer.
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
            // A timed-out transaction ends its dialog, which ends the session (processDialogTerminated).
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
            LOG.warn("SIPREC transport error towards {}:{} ({})", event.getHost(), event.getPort(), event.getTransport());
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
            // Transactions end on their own; sessions end with their dialogs.
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
            String sipCallId = event.getDialog().getCallId().getCallId();
            RecordingSession session = sessions.remove(sipCallId);
            byesAfterAck.remove(sipCallId);
            if (session != null) {
                // No BYE came (the ACK never did, or the dialog timed out): the call still ends with its audio.
                LOG.warn("SIPREC call {} ended: its SIP dialog ended without a BYE", session.call().format().callId());
                end(session);
            }
        }
    }

    // Requests

    private void invite(Incoming in, String peer) throws Exception {
        Request request = in.request();
        String sipCallId = callId(request);
        if (!isRecordingSession(request)) {
            LOG.warn("INVITE {} from {} refused: it is not a SIPREC recording session (no Require: siprec)", sipCallId, peer);
            respond(in, Response.NOT_ACCEPTABLE_HERE, "Not a SIPREC recording session",
                    "emostream is a SIPREC recording server (RFC 7866): it takes INVITEs with Require: siprec only");
            return;
        }
        Offer offer;
        try {
            offer = Offer.of(request);
        } catch (UnreadableBody e) {
            LOG.warn("SIPREC INVITE {} from {} refused: {}", sipCallId, peer, e.getMessage());
            respond(in, Response.BAD_REQUEST, e.reasonPhrase, e.getMessage());
            return;
        }
        if (offer.sdp == null) {
            LOG.warn("SIPREC INVITE {} from {} refused: it has no SDP offer", sipCallId, peer);
            respond(in, Response.NOT_ACCEPTABLE_HERE, null, "emostream needs the SDP offer in the INVITE");
            return;
        }
        MediaPlan plan = MediaPlan.choose(offer.sdp);
        if (plan == null) {
            LOG.warn("SIPREC INVITE {} from {} refused: no recorded audio stream offers PCMU, PCMA or L16", sipCallId, peer);
            respondWarning(in, Response.NOT_ACCEPTABLE_HERE, 305,
                    "emostream records sendonly RTP audio in PCMU, PCMA or L16 at 8 or 16 kHz");
            return;
        }
        RecordingMetadata metadata = offer.metadata == null ? RecordingMetadata.NONE : offer.metadata;
        List<String> labels = plan.lines().stream().map(line -> offer.sdp.media().get(line).label()).toList();
        Map<String, String> sipMetadata = new LinkedHashMap<>();
        sipMetadata.put("siprec.callId", sipCallId);
        sipMetadata.put("siprec.from", ((javax.sip.header.FromHeader) request.getHeader("From")).getAddress().getURI().toString());
        sipMetadata.put("siprec.to", ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString());
        List<RecordingMetadata.Participant> senders = labels.stream()
                .map(label -> label == null ? null : metadata.senderOf(label)).toList();
        List<SpeakerRole> roles = settings.agentRule().roles(senders);
        CallFormat format;
        try {
            CallIdentity identity = RecordingSession.identity(metadata, labels, sipMetadata);
            format = new CallFormat(RecordingSession.callId(metadata, sipCallId), plan.sampleRate(),
                    plan.codec().encoding(), roles, "siprec:" + peer, identity);
        } catch (InvalidInputException e) {
            LOG.warn("SIPREC INVITE {} from {} refused: {}", sipCallId, peer, e.getMessage());
            respond(in, Response.NOT_ACCEPTABLE_HERE, null, e.getMessage());
            return;
        }
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < plan.channels(); i++) {
                sockets.add(rtpPorts.open());
            }
        } catch (IOException e) {
            sockets.forEach(s -> {
                rtpPorts.release(s.getLocalPort());
                s.close();
            });
            LOG.error("SIPREC call {} refused: {}", format.callId(), e.getMessage());
            respond(in, Response.SERVICE_UNAVAILABLE, null, e.getMessage());
            return;
        }
        LiveCall call;
        try {
            call = calls.open(format, reason -> later(() -> hangUp(sipCallId, 500, reason)));
        } catch (CallRefusedException e) {
            sockets.forEach(s -> {
                rtpPorts.release(s.getLocalPort());
                s.close();
            });
            LOG.warn("SIPREC call {} from {} refused: {}", format.callId(), peer, e.getMessage());
            respond(in, Response.SERVICE_UNAVAILABLE, null, e.getMessage());
            return;
        }
        long startNanos = System.nanoTime();
        List<RtpStream> streams = new ArrayList<>();
        for (int channel = 0; channel < plan.channels(); channel++) {
            streams.add(new RtpStream(call, channel, plan.formats().get(channel), sockets.get(channel),
                    settings.allowedSources(), startNanos));
        }
        RecordingSession session = new RecordingSession(sipCallId, call, plan, labels, streams, sipMetadata, metadata,
                rtpPorts, mediaAddress);
        // The dialog before the session can be found: a hang-up from now on has a dialog to send its BYE in.
        session.dialog(in.transaction().getDialog());
        sessions.put(sipCallId, session);
        session.start();
        Response ok = messages.createResponse(Response.OK, request);
        ok.setContent(session.answer(offer.sdp).getBytes(StandardCharsets.UTF_8), sdpType());
        try {
            send(in, ok);
        } catch (SipException | InvalidArgumentException e) {
            if (sessions.remove(sipCallId) != null) {
                end(session);
            }
            throw e;
        }
        LOG.info("SIPREC call {} started from {}: {} channels ({}), {} {} Hz", format.callId(), peer, plan.channels(),
                SpeakerRoles.describe(roles), plan.codec(), plan.sampleRate());
    }

    /** A re-INVITE or UPDATE in a recording session: new metadata, new SDP, or both. */
    private void reoffer(Incoming in) throws Exception {
        Request request = in.request();
        RecordingSession session = sessions.get(callId(request));
        if (session == null) {
            respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        Offer offer;
        try {
            offer = Offer.of(request);
        } catch (UnreadableBody e) {
            LOG.warn("SIPREC {} of call {} refused: {}", request.getMethod(), session.call().format().callId(), e.getMessage());
            respond(in, Response.BAD_REQUEST, e.reasonPhrase, e.getMessage());
            return;
        }
        if (offer.metadata != null) {
            session.update(offer.metadata);
            LOG.info("SIPREC call {}: metadata updated by {}", session.call().format().callId(), request.getMethod());
        }
        Response ok = messages.createResponse(Response.OK, request);
        if (offer.sdp != null) {
            ok.setContent(session.reoffer(offer.sdp).getBytes(StandardCharsets.UTF_8), sdpType());
        } else if (request.getMethod().equals(Request.INVITE)) {
            ok.setContent(session.current().getBytes(StandardCharsets.UTF_8), sdpType());
        }
        send(in, ok);
    }

    private void bye(Incoming in) throws Exception {
        RecordingSession session = sessions.remove(callId(in.request()));
        if (session == null) {
            respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        try {
            respond(in, Response.OK, null, null);
        } finally {
            // The call ends with its audio even when the client is gone before our answer reaches it.
            LOG.info("SIPREC call {} ended by BYE", session.call().format().callId());
            end(session);
        }
    }

    private void options(Incoming in) throws Exception {
        Response ok = messages.createResponse(Response.OK, in.request());
        ok.addHeader(headers.createAllowHeader(ALLOW));
        ok.addHeader(headers.createAcceptHeader("application", "sdp"));
        ok.addHeader(headers.createAcceptHeader("application", "rs-metadata+xml"));
        ok.addHeader(headers.createAcceptHeader("multipart", "mixed"));
        ok.addHeader(headers.createSupportedHeader("siprec"));
        send(in, ok);
    }

    /** Ends a session from our side: a BYE with the reason to its client, then the call. */
    private void hangUp(String sipCallId, int cause, String reason) {
        RecordingSession session = sessions.remove(sipCallId);
        if (session == null) {
            return;
        }
        LOG.warn("SIPREC call {} ended by the recording server: {}", session.call().format().callId(), reason);
        Dialog dialog = session.dialog();
        Runnable bye = () -> sendBye(dialog, cause, reason, session.call().format().callId());
        if (dialog != null && dialog.getState() == DialogState.CONFIRMED) {
            bye.run();
        } else if (dialog != null && dialog.getState() != DialogState.TERMINATED) {
            // Our 200 OK is out (or about to be) but its ACK has not come: the BYE goes when it does.
            byesAfterAck.put(sipCallId, bye);
            if (dialog.getState() == DialogState.CONFIRMED && byesAfterAck.remove(sipCallId) != null) {
                bye.run();
            }
        }
        end(session);
    }

    private void sendBye(Dialog dialog, int cause, String reason, String callId) {
        try {
            Request bye = dialog.createRequest(Request.BYE);
            bye.addHeader(headers.createReasonHeader("SIP", cause, reason.replace('"', '\'')));
            ClientTransaction transaction = provider.getNewClientTransaction(bye);
            dialog.sendRequest(transaction);
        } catch (SipException | ParseException | InvalidArgumentException e) {
            LOG.warn("The BYE for SIPREC call {} could not be sent: {}", callId, e.getMessage());
        }
    }

    /** Ends the session on a thread of its own: its streams' readers and Kafka may take seconds. */
    private void end(RecordingSession session) {
        if (!later(session::end)) {
            session.end();
        }
    }

    /** Runs {@code task} on the ending executor; false once the server is closed (the task did not run). */
    private boolean later(Runnable task) {
        try {
            ending.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * CANCEL: the INVITE it names has its final answer by then (we answer INVITEs at once), so there is nothing left
     * to cancel but the CANCEL is answered 200; one that matches no INVITE transaction gets 481 (RFC 3261 §9.2).
     */
    private void cancel(Incoming in) throws Exception {
        boolean matches = ((SIPTransactionStack) stack).findCancelTransaction((SIPRequest) in.request(), true) != null;
        respond(in, matches ? Response.OK : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
    }

    private void startWatchdog(Duration idleTimeout) {
        long periodMs = Math.max(50, Math.min(1000, idleTimeout.toMillis() / 4));
        watchdog.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            for (RecordingSession session : List.copyOf(sessions.values())) {
                String idle = session.idle(now, idleTimeout);
                if (idle != null) {
                    hangUp(session.sipCallId(), 408, idle);
                }
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    // Helpers

    /** A request with the server transaction it is answered in. */
    private record Incoming(Request request, ServerTransaction transaction) {
    }

    /** A body we cannot read, answered 400 with the reason phrase and the sentence in a Warning. */
    private static final class UnreadableBody extends Exception {
        final String reasonPhrase;

        UnreadableBody(String reasonPhrase, InvalidInputException cause) {
            super(cause.getMessage(), cause);
            this.reasonPhrase = reasonPhrase;
        }
    }

    /** The SDP and the recording metadata of a request's body, each null when absent. */
    private record Offer(SdpOffer sdp, RecordingMetadata metadata) {
        static Offer of(Request request) throws UnreadableBody {
            byte[] body = request.getRawContent();
            if (body == null || body.length == 0) {
                return new Offer(null, null);
            }
            ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
            String contentType = type == null ? null : type.toString().substring(type.toString().indexOf(':') + 1).strip();
            List<MultipartBody.Part> parts;
            try {
                parts = MultipartBody.parse(contentType, body);
            } catch (InvalidInputException e) {
                throw new UnreadableBody("Malformed multipart body", e);
            }
            SdpOffer sdp = null;
            RecordingMetadata metadata = null;
            for (MultipartBody.Part part : parts) {
                String media = part.mediaType();
                try {
                    if (media.equals("application/sdp") && sdp == null) {
                        sdp = SdpOffer.parse(part.content());
                    } else if (media.equals("application/rs-metadata+xml") || media.equals("application/rs-metadata")) {
                        metadata = RecordingMetadata.parse(part.content());
                    }
                } catch (InvalidInputException e) {
                    throw new UnreadableBody(media.equals("application/sdp") ? "Malformed SDP" : "Malformed recording metadata", e);
                }
            }
            return new Offer(sdp, metadata);
        }
    }

    private static boolean isRecordingSession(Request request) {
        var require = request.getHeaders(RequireHeader.NAME);
        while (require.hasNext()) {
            if (((RequireHeader) require.next()).getOptionTag().equalsIgnoreCase("siprec")) {
                return true;
            }
        }
        ContactHeader contact = (ContactHeader) request.getHeader(ContactHeader.NAME);
        return contact != null && SRC_FEATURE.matcher(contact.toString()).find();
    }

    /** The option tags a request's Require names that we do not support: all but {@code siprec}. */
    private static List<String> unsupportedRequirements(Request request) {
        if (request.getMethod().equals(Request.ACK) || request.getMethod().equals(Request.CANCEL)) {
            return List.of();
        }
        List<String> unsupported = new ArrayList<>();
        var require = request.getHeaders(RequireHeader.NAME);
        while (require.hasNext()) {
            String tag = ((RequireHeader) require.next()).getOptionTag();
            if (!tag.equalsIgnoreCase("siprec")) {
                unsupported.add(tag);
            }
        }
        return unsupported;
    }

    private static String callId(Request request) {
        return ((javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }

    private static String toTag(Request request) {
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        return to == null ? null : to.getTag();
    }

    private ContentTypeHeader sdpType() throws ParseException {
        return headers.createContentTypeHeader("application", "sdp");
    }

    private void respond(Incoming in, int status, String reasonPhrase, String warning) throws Exception {
        Response response = messages.createResponse(status, in.request());
        if (reasonPhrase != null) {
            response.setReasonPhrase(reasonPhrase);
        }
        if (warning != null) {
            // 399: miscellaneous warning, shown to the administrator reading the SBC's logs.
            response.addHeader(headers.createWarningHeader(warningAgent(), 399, warning.replace('"', '\'')));
        }
        send(in, response);
    }

    private void respondWarning(Incoming in, int status, int code, String warning) throws Exception {
        Response response = messages.createResponse(status, in.request());
        response.addHeader(headers.createWarningHeader(warningAgent(), code, warning.replace('"', '\'')));
        send(in, response);
    }

    private void respondQuietly(Incoming in, int status, String reasonPhrase, String warning) {
        try {
            respond(in, status, reasonPhrase, warning);
        } catch (Exception e) {
            LOG.debug("Could not answer {}: {}", in.request().getMethod(), e.toString());
        }
    }

    /**
     * Sends a response in the request's server transaction, with the To tag every final response needs (RFC 3261
     * §8.2.6.2) and, on a 2xx for INVITE or UPDATE, our Contact.
     */
    private void send(Incoming in, Response response) throws Exception {
        Request request = in.request();
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (response.getStatusCode() > 100 && to.getTag() == null) {
            to.setTag(Long.toHexString(TAGS.nextLong()));
        }
        // UPDATE's 2xx carries one too: it may change the remote target (RFC 3311 §5.2).
        if (response.getStatusCode() / 100 == 2
                && (request.getMethod().equals(Request.INVITE) || request.getMethod().equals(Request.UPDATE))) {
            String transport = ((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport().toLowerCase(Locale.ROOT);
            Address contact = addresses.createAddress("sip:emostream@" + uriHost(mediaAddress) + ":"
                    + (transport.equals("tls") ? tlsPort : sipPort) + ";transport=" + transport);
            response.addHeader(headers.createContactHeader(contact));
        }
        in.transaction().sendResponse(response);
    }

    private String warningAgent() {
        return uriHost(mediaAddress);
    }

    private static String uriHost(String address) {
        return address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    }

    private static Properties stackProperties(LiveCalls calls, TlsSettings tls) {
        Properties properties = new Properties();
        properties.setProperty("javax.sip.STACK_NAME", "emostream-siprec-" + STACKS.incrementAndGet());
        properties.setProperty("gov.nist.javax.sip.STACK_LOGGER", SipStackLogger.class.getName());
        properties.setProperty("gov.nist.javax.sip.SERVER_LOGGER", SipStackLogger.class.getName());
        // Requests of different calls are handled at once; one call's are ordered by its session's lock.
        properties.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        properties.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
        properties.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(calls.limits().maxMessageBytes()));
        if (tls != null) {
            properties.setProperty("javax.net.ssl.keyStore", tls.keyStore().toString());
            properties.setProperty("javax.net.ssl.keyStorePassword", tls.password());
            properties.setProperty("javax.net.ssl.keyStoreType",
                    tls.keyStore().toString().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12");
            // SBCs present no client certificate as a rule; the source allow-list says who may record.
            properties.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        }
        return properties;
    }

    private static ListeningPoint listen(SipStack stack, String host, int port, String name) {
        try {
            return stack.createListeningPoint(host, port, name);
        } catch (Exception e) {
            throw new InvalidInputException("the SIPREC server cannot listen on " + host + ":" + port + " over " + name
                    + " (" + e.getMessage() + "); choose another SIP port or stop what holds it", e);
        }
    }

    /** Binds one port of the range and lets it go: a range that is wholly taken or not ours fails at start. */
    private static void probe(RtpPorts ports, RtpPortRange range) {
        try {
            DatagramSocket socket = ports.open();
            ports.release(socket.getLocalPort());
            socket.close();
        } catch (IOException e) {
            throw new InvalidInputException("the RTP port range " + range + " cannot be used (" + e.getMessage()
                    + "); choose free ports with --rtp-ports", e);
        }
    }

    /** A port free for both UDP and TCP, for settings that ask for any port (tests). */
    private static int freePort(InetAddress host) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(host, 0));
                 ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(host, udp.getLocalPort()));
                return udp.getLocalPort();
            } catch (IOException e) {
                // That UDP port's TCP twin is taken: try another.
            }
        }
        throw new InvalidInputException("no port on " + host.getHostAddress() + " is free for both UDP and TCP");
    }

    /**
     * The address SDP answers and our Contact name: the configured one, the listen address, or for a wildcard
     * listen address this machine's first IPv4 address on an interface that is up (not {@code getLocalHost()},
     * which Debian maps to 127.0.1.1).
     */
    private static String mediaAddress(SiprecSettings settings, InetAddress host) {
        if (settings.mediaAddress() != null) {
            return settings.mediaAddress();
        }
        if (!host.isAnyLocalAddress()) {
            return host.getHostAddress();
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        if (address instanceof Inet4Address) {
                            return address.getHostAddress();
                        }
                    }
                }
            }
        } catch (SocketException e) {
            // Falls through to the sentence below.
        }
        throw new InvalidInputException("this machine has no IPv4 address for the SDP answers of the SIPREC server on "
                + settings.host() + "; set the SIPREC media address");
    }

    /** Stops a stack that failed to start; the stack may trip over its own half-made listening points. */
    private static void stopQuietly(SipStack stack) {
        if (stack != null) {
            try {
                stack.stop();
            } catch (RuntimeException e) {
                LOG.debug("The SIP stack did not stop cleanly after failing to start: {}", e.toString());
            }
        }
    }
}
