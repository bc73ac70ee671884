package io.emostream.ingest.audiohook;

import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveIngestServer;
import io.emostream.ingest.live.WebSocketRoute;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Genesys Cloud AudioHook Monitor on the live ingest port, at {@code /audiohook}: Genesys connects one WebSocket per
 * conversation and streams both parties' audio. The connection request is checked before the upgrade (API key,
 * signature, nonce); a refused one gets HTTP 401 with one sentence.
 */
public final class AudioHook {
    private static final Logger LOG = LoggerFactory.getLogger(AudioHook.class);

    private AudioHook() {
    }

    public static WebSocketRoute route(AudioHookSettings settings, LiveCalls calls) {
        ConnectionCheck check = new ConnectionCheck(settings);
        String auth = settings.clientSecret() != null ? "API key and signature required"
                : settings.authenticates() ? "API key required" : "no authentication";
        return new WebSocketRoute(AudioHookSettings.PATH, "Genesys AudioHook; " + auth, (request, response, callback) -> {
            HttpFields headers = request.getHeaders();
            String requestTarget = request.getHttpURI().getPathQuery();
            String refusal = check.refusal(name -> headers.get(name), requestTarget, System.currentTimeMillis() / 1000);
            String peer = LiveIngestServer.address(request);
            if (refusal != null) {
                LOG.warn("AudioHook connection from {} refused: {}", peer, refusal);
                Response.writeError(request, response, callback, 401, "AudioHook connection refused: " + refusal);
                return null;
            }
            Map<String, String> sessionHeaders = new LinkedHashMap<>();
            for (String name : new String[] {"audiohook-organization-id", "audiohook-session-id", "audiohook-correlation-id"}) {
                String value = headers.get(name);
                if (value != null) {
                    sessionHeaders.put(name.toLowerCase(Locale.ROOT), value.strip());
                }
            }
            return new AudioHookSocket(transport -> new AudioHookSession(calls, transport, peer, sessionHeaders));
        });
    }
}
