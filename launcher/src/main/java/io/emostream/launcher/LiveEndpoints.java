package io.emostream.launcher;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.audiosocket.AudioSocketServer;
import io.emostream.ingest.audiosocket.AudioSocketSettings;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.siprec.SiprecServer;
import io.emostream.ingest.siprec.SiprecSettings;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveIngestServer;
import io.emostream.ingest.live.WebSocketRoute;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every live endpoint of one process, started together from {@link LiveOptions}: the --listen port with emostream's
 * own protocol and the telephony protocols that speak WebSocket, and the protocols on ports of their own. Closing
 * stops accepting, then ends every call still open (end-of-stream on each channel).
 */
final class LiveEndpoints implements AutoCloseable {
    private final LiveCalls calls;
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    private LiveEndpoints(LiveCalls calls) {
        this.calls = calls;
    }

    /**
     * @param listenPort the HTTP port, or null for none
     * @param token      emostream's own protocol's bearer token, or null
     * @param noAuth     serve protocols without their credentials even on a non-local interface
     */
    static LiveEndpoints start(LiveOptions options, ChunkPublisher publisher, int chunkMs, String host, Integer listenPort,
                               String token, boolean local, boolean noAuth) {
        LiveEndpoints endpoints = new LiveEndpoints(new LiveCalls(publisher, options.limits(chunkMs)));
        try {
            if (listenPort != null) {
                List<String> notes = new ArrayList<>();
                List<WebSocketRoute> routes = options.routes(endpoints.calls, local, noAuth, notes);
                LiveIngestServer server = LiveIngestServer.start(new LiveIngestServer.Settings(host, listenPort, token,
                        options.tls()), endpoints.calls, routes);
                endpoints.servers.add(server);
                server.urls(host).forEach(url -> endpoints.lines.add("  " + url));
                notes.forEach(note -> endpoints.lines.add("  " + note));
            }
            for (AudioSocketSettings audioSocket : options.audioSockets(host, local, noAuth)) {
                AudioSocketServer server = AudioSocketServer.start(audioSocket, endpoints.calls);
                endpoints.servers.add(server);
                endpoints.lines.add("  tcp://" + host + ":" + server.port() + " (Asterisk AudioSocket; calls are "
                        + audioSocket.role().name().toLowerCase(Locale.ROOT) + "; "
                        + (!audioSocket.allowList().isConfigured() ? "any source" : "from " + audioSocket.allowList()) + ")");
            }
            SiprecSettings siprec = options.siprec(host, local, noAuth);
            if (siprec != null) {
                SiprecServer server;
                try {
                    server = SiprecServer.start(siprec, endpoints.calls);
                } catch (InvalidInputException e) {
                    throw new EmotionCli.UserException("SIPREC: " + e.getMessage() + ".", e);
                }
                endpoints.servers.add(server);
                if (server.tlsPort() > 0) {
                    endpoints.lines.add("  sips:" + host + ":" + server.tlsPort() + " (SIPREC recording server over TLS)");
                }
                endpoints.lines.add("  sip:" + host + ":" + server.sipPort() + " (SIPREC recording server; "
                        + siprec.transports().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).sorted().toList()
                        + "; RTP on " + siprec.rtpPorts().min() + "-" + siprec.rtpPorts().max() + "; agent: "
                        + siprec.agentRule() + ")");
            }
        } catch (IllegalStateException e) {
            endpoints.close();
            throw new EmotionCli.UserException(e.getMessage(), e);
        } catch (RuntimeException e) {
            endpoints.close();
            throw e;
        }
        return endpoints;
    }

    /** One line per endpoint served, and one per protocol left out with the reason. */
    void print(PrintWriter out) {
        lines.forEach(out::println);
        out.flush();
    }

    /** What the live endpoints did: calls started, refused, and closed because Kafka refused their audio. */
    String summary() {
        LiveCalls.Stats stats = calls.stats();
        return String.format(Locale.ROOT, "Live calls: %d started, %d refused, %d not delivered to Kafka%s.",
                stats.started(), stats.refused(), stats.undeliverable(),
                stats.undeliverable() > 0 ? " (see the log's ERROR lines)" : "");
    }

    LiveCalls calls() {
        return calls;
    }

    @Override
    public void close() {
        for (int i = servers.size() - 1; i >= 0; i--) {
            try {
                servers.get(i).close();
            } catch (Exception e) {
                System.err.println("ingest: stopping a live endpoint failed: " + e.getMessage());
            }
        }
        calls.close();
    }
}
