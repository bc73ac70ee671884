package io.emostream.launcher;

import io.emostream.ingest.audiohook.AudioHook;
import io.emostream.ingest.audiohook.AudioHookSettings;
import io.emostream.ingest.live.SourceAllowList;
import io.emostream.ingest.audiosocket.AudioSocketSettings;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.SpeakerRoles;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveLimits;
import io.emostream.ingest.live.TlsSettings;
import io.emostream.ingest.live.WebSocketRoute;
import io.emostream.ingest.siprec.AgentRule;
import io.emostream.ingest.siprec.RtpPortRange;
import io.emostream.ingest.siprec.SiprecSettings;
import io.emostream.ingest.live.SourceAllowList;
import io.emostream.ingest.twilio.TwilioMediaStreams;
import io.emostream.ingest.twilio.TwilioSettings;
import io.emostream.schema.SpeakerRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The live endpoints' options, shared by {@code ingest} and {@code demo}: the telephony protocols, their credentials,
 * TLS and the limits every protocol shares. Secrets come from files or environment variables, never from the
 * command line, where other users of the machine could read them.
 */
final class LiveOptions {
    @Option(names = "--max-calls", paramLabel = "N", defaultValue = "" + LiveLimits.DEFAULT_MAX_CALLS,
            description = "Live calls at once over all protocols; one more is refused with the protocol's own error"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxCalls;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "A live connection or RTP stream that sends nothing for this long ends its call (default: ${DEFAULT-VALUE}).")
    int idleTimeoutS;

    @Option(names = "--max-message-bytes", paramLabel = "BYTES", defaultValue = "1048576",
            description = "Largest WebSocket message or AudioSocket frame accepted (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve the --listen port over TLS (https/wss) with this PKCS#12 or JKS key store; Genesys needs it.")
    Path tlsKeyStore;

    @Option(names = "--tls-password-file", paramLabel = "FILE",
            description = "The key store's password (env EMOSTREAM_TLS_PASSWORD works too).")
    Path tlsPasswordFile;

    @Option(names = "--audiohook-api-key-file", paramLabel = "FILE",
            description = "Genesys AudioHook: the integration's API key, required as X-API-KEY (env EMOSTREAM_AUDIOHOOK_API_KEY).")
    Path audioHookApiKeyFile;

    @Option(names = "--audiohook-secret-file", paramLabel = "FILE",
            description = "Genesys AudioHook: the integration's client secret (base64); connection requests must then be"
                    + " signed (env EMOSTREAM_AUDIOHOOK_CLIENT_SECRET).")
    Path audioHookSecretFile;

    @Option(names = "--twilio-auth-token-file", paramLabel = "FILE",
            description = "Twilio Media Streams: the account's auth token; X-Twilio-Signature is then checked"
                    + " (env EMOSTREAM_TWILIO_AUTH_TOKEN).")
    Path twilioAuthTokenFile;

    @Option(names = "--twilio-public-url", paramLabel = "URL",
            description = "Twilio: the <Stream url> exactly as the TwiML gives it, when a proxy changes the scheme, host"
                    + " or path (default: rebuilt from the request).")
    String twilioPublicUrl;

    @Option(names = "--twilio-roles", paramLabel = "INBOUND,OUTBOUND", defaultValue = "customer,agent",
            description = "Twilio: roles of the inbound (caller) and outbound tracks (default: ${DEFAULT-VALUE}).")
    String twilioRoles;

    @Option(names = "--audiosocket", paramLabel = "PORT[:ROLE]",
            description = "Asterisk AudioSocket on this TCP port, its calls in ROLE (default customer); repeat for"
                    + " other roles, e.g. --audiosocket 9092 --audiosocket 9093:agent.")
    List<String> audioSockets = new ArrayList<>();

    @Option(names = "--audiosocket-allow", paramLabel = "ADDRESS|CIDR,...",
            description = "AudioSocket: the source addresses accepted (AudioSocket has no authentication); needed on a"
                    + " non-local --host unless --no-auth.")
    String audioSocketAllow;

    @Option(names = "--siprec", paramLabel = "PORT",
            description = "A SIPREC recording server on this SIP port (UDP and TCP): SBCs fork the calls they record to it.")
    Integer siprecPort;

    @Option(names = "--rtp-ports", paramLabel = "FROM-TO", defaultValue = "40000-40999",
            description = "SIPREC: UDP ports for the recorded streams' RTP, one even port per stream (default: ${DEFAULT-VALUE}).")
    String rtpPorts;

    @Option(names = "--siprec-agent", paramLabel = "callee|caller|REGEX", defaultValue = "callee",
            description = "SIPREC: which recorded stream is the agent's: callee (the first stream is the customer),"
                    + " caller, or a regular expression found in the agent's AOR or name (default: ${DEFAULT-VALUE}).")
    String siprecAgent;

    @Option(names = "--siprec-allow", paramLabel = "ADDRESS|CIDR,...|any",
            description = "SIPREC: the SBCs' addresses SIP and RTP are taken from; needed on a non-local --host.")
    String siprecAllow;

    @Option(names = "--siprec-transports", paramLabel = "udp,tcp", defaultValue = "udp,tcp",
            description = "SIPREC: the SIP transports on the --siprec port (default: ${DEFAULT-VALUE}).")
    String siprecTransports;

    @Option(names = "--siprec-tls-port", paramLabel = "PORT",
            description = "SIPREC: also SIP over TLS on this port, with the --tls-keystore (default: off).")
    Integer siprecTlsPort;

    @Option(names = "--siprec-media-address", paramLabel = "ADDRESS",
            description = "SIPREC: the address the SDP answer asks RTP to be sent to, when SBCs reach this machine"
                    + " through NAT (default: the listen address).")
    String siprecMediaAddress;

    LiveLimits limits(int chunkMs) {
        if (idleTimeoutS < 1) {
            throw new EmotionCli.UserException("--idle-timeout must be at least 1 second, not " + idleTimeoutS + ".");
        }
        try {
            return new LiveLimits(maxCalls, maxMessageBytes, Duration.ofSeconds(idleTimeoutS), chunkMs);
        } catch (IllegalArgumentException e) {
            throw new EmotionCli.UserException("Live limits: " + e.getMessage() + "; check --max-calls and --max-message-bytes.", e);
        }
    }

    /** The key store for --listen, or null for plain ws. */
    TlsSettings tls() {
        if (tlsKeyStore == null) {
            if (tlsPasswordFile != null) {
                throw new EmotionCli.UserException("--tls-password-file is given without --tls-keystore.");
            }
            return null;
        }
        if (!Files.isReadable(tlsKeyStore)) {
            throw new EmotionCli.UserException("TLS key store " + tlsKeyStore + " cannot be read; check --tls-keystore.");
        }
        String password = Options.token(tlsPasswordFile, "EMOSTREAM_TLS_PASSWORD");
        if (password == null) {
            throw new EmotionCli.UserException("The TLS key store needs its password: give --tls-password-file or set"
                    + " EMOSTREAM_TLS_PASSWORD.");
        }
        return new TlsSettings(tlsKeyStore, password);
    }

    /**
     * The telephony protocols served on the --listen port. On a non-local interface a protocol without its
     * credentials is left out (unless {@code noAuth}), and {@code notes} says why.
     */
    List<WebSocketRoute> routes(LiveCalls calls, boolean local, boolean noAuth, List<String> notes) {
        List<WebSocketRoute> routes = new ArrayList<>();
        AudioHookSettings audioHook = audioHookSettings();
        if (audioHook.authenticates() || local || noAuth) {
            routes.add(AudioHook.route(audioHook, calls));
        } else {
            notes.add("Genesys AudioHook is not served: on a non-local interface it needs --audiohook-api-key-file.");
        }
        TwilioSettings twilio = twilioSettings(local);
        if (twilio.authToken() != null || local || noAuth) {
            routes.add(TwilioMediaStreams.route(twilio, calls));
        } else {
            notes.add("Twilio Media Streams is not served: on a non-local interface it needs --twilio-auth-token-file.");
        }
        return routes;
    }

    /** The AudioSocket ports, each on {@code host} with the allow-list. */
    List<AudioSocketSettings> audioSockets(String host, boolean local, boolean noAuth) {
        if (audioSockets.isEmpty()) {
            return List.of();
        }
        SourceAllowList allowed;
        try {
            allowed = audioSocketAllow == null ? SourceAllowList.ANY : SourceAllowList.parse(audioSocketAllow);
        } catch (InvalidInputException e) {
            throw new EmotionCli.UserException("--audiosocket-allow: " + e.getMessage() + ".", e);
        }
        if (!local && !allowed.isConfigured() && !noAuth) {
            throw new EmotionCli.UserException("AudioSocket has no authentication: on " + host + " give"
                    + " --audiosocket-allow with Asterisk's addresses, or --no-auth if anyone may stream.");
        }
        List<AudioSocketSettings> servers = new ArrayList<>();
        for (String option : audioSockets) {
            try {
                servers.add(AudioSocketSettings.parse(option).withHost(host).withAllowList(allowed));
            } catch (InvalidInputException e) {
                throw new EmotionCli.UserException(e.getMessage() + ".", e);
            }
        }
        return servers;
    }

    boolean hasPortsOfTheirOwn() {
        return !audioSockets.isEmpty() || siprecPort != null;
    }

    /** The SIPREC server's settings on {@code host}, or null without --siprec. */
    SiprecSettings siprec(String host, boolean local, boolean noAuth) {
        if (siprecPort == null) {
            return null;
        }
        try {
            SiprecSettings siprec = SiprecSettings.defaults(siprecPort).withHost(host)
                    .withTransports(SiprecSettings.Transport.parseList(siprecTransports))
                    .withRtpPorts(RtpPortRange.parse(rtpPorts)).withAgentRule(AgentRule.parse(siprecAgent))
                    .withMediaAddress(siprecMediaAddress);
            if (siprecAllow != null) {
                siprec = siprec.withAllowedSources(SourceAllowList.parse(siprecAllow));
            } else if (!local && !noAuth) {
                throw new EmotionCli.UserException("SIPREC has no authentication SBCs use: on " + host + " give"
                        + " --siprec-allow with the SBCs' addresses, or --no-auth if anyone may record to it.");
            } else if (!local) {
                siprec = siprec.withAllowedSources(SourceAllowList.parse("any"));
            }
            if (siprecTlsPort != null) {
                TlsSettings tls = tls();
                if (tls == null) {
                    throw new EmotionCli.UserException("--siprec-tls-port needs the key store: give --tls-keystore and"
                            + " --tls-password-file.");
                }
                siprec = siprec.withTls(siprecTlsPort, tls);
            }
            return siprec;
        } catch (InvalidInputException e) {
            throw new EmotionCli.UserException("SIPREC: " + e.getMessage() + "; check the --siprec options.", e);
        }
    }

    /**
     * Checks every live option without starting anything, so that a mistake in them is said before Kafka is
     * contacted.
     */
    void validate(int chunkMs, String host, boolean local, boolean noAuth) {
        limits(chunkMs);
        tls();
        audioHookSettings();
        twilioSettings(local);
        audioSockets(host, local, noAuth);
        siprec(host, local, noAuth);
    }

    private AudioHookSettings audioHookSettings() {
        String apiKey = Options.token(audioHookApiKeyFile, "EMOSTREAM_AUDIOHOOK_API_KEY");
        String secret = Options.token(audioHookSecretFile, "EMOSTREAM_AUDIOHOOK_CLIENT_SECRET");
        try {
            return apiKey == null && secret == null ? AudioHookSettings.open() : AudioHookSettings.of(apiKey, secret);
        } catch (IllegalArgumentException e) {
            throw new EmotionCli.UserException("Genesys AudioHook: " + e.getMessage() + ".", e);
        }
    }

    private TwilioSettings twilioSettings(boolean local) {
        List<SpeakerRole> roles;
        try {
            roles = SpeakerRoles.parse(twilioRoles);
        } catch (InvalidInputException e) {
            throw new EmotionCli.UserException("--twilio-roles: " + e.getMessage() + ".", e);
        }
        if (roles.size() != 2) {
            throw new EmotionCli.UserException("--twilio-roles takes two roles, inbound then outbound, e.g. customer,agent.");
        }
        try {
            TwilioSettings twilio = TwilioSettings.defaults().withRoles(roles.get(0), roles.get(1));
            String token = Options.token(twilioAuthTokenFile, "EMOSTREAM_TWILIO_AUTH_TOKEN");
            twilio = token == null ? twilio : twilio.withAuthToken(token);
            // Twilio signs only the URL: rebuilt from the request's own Host header, it would accept a signature
            // made for any host on the same account.
            if (token != null && twilioPublicUrl == null && !local) {
                throw new EmotionCli.UserException("On a non-local interface, Twilio signatures are checked against the"
                        + " URL Twilio was given: give it with --twilio-public-url, e.g. wss://ingest.example.com/twilio.");
            }
            return twilioPublicUrl == null ? twilio : twilio.withPublicUrl(twilioPublicUrl);
        } catch (InvalidInputException e) {
            throw new EmotionCli.UserException("Twilio: " + e.getMessage() + "; check --twilio-public-url.", e);
        }
    }
}
