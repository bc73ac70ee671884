package io.emostream.ingest.siprec;

import io.emostream.ingest.live.SourceAllowList;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.live.TlsSettings;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * How the SIPREC recording server listens.
 *
 * @param host           address SIP and RTP listen on (default 127.0.0.1; 0.0.0.0 for every interface)
 * @param sipPort        SIP port, on every transport (default 5060; 0 picks a free one, for tests)
 * @param transports     SIP transports (default UDP and TCP)
 * @param rtpPorts       UDP ports for RTP (default 40000-40999)
 * @param agentRule      which stream is the agent's (default {@link AgentRule#CALLEE})
 * @param allowedSources addresses SIP and RTP are taken from; required on a non-loopback host
 * @param mediaAddress   the address written into SDP answers for the client to send RTP to; null: {@code host},
 *                       or this machine's address when {@code host} is a wildcard
 * @param tls            SIP over TLS on {@code tlsPort} as well, with this key store; null for none (the default)
 * @param tlsPort        the SIP over TLS port (default 5061; 0 picks a free one, for tests)
 */
public record SiprecSettings(String host, int sipPort, Set<Transport> transports, RtpPortRange rtpPorts,
                             AgentRule agentRule, SourceAllowList allowedSources, String mediaAddress,
                             TlsSettings tls, int tlsPort) {
    public static final int DEFAULT_SIP_PORT = 5060;
    public static final int DEFAULT_TLS_PORT = 5061;

    public enum Transport {
        UDP, TCP;

        /** From an option value such as {@code udp,tcp}. */
        public static Set<Transport> parseList(String value) {
            Set<Transport> transports = EnumSet.noneOf(Transport.class);
            for (String name : value.split(",")) {
                try {
                    transports.add(valueOf(name.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("unknown SIP transport '" + name.strip() + "'; use udp, tcp or both, "
                            + "e.g. udp,tcp", e);
                }
            }
            return transports;
        }
    }

    public SiprecSettings {
        if (sipPort < 0 || sipPort > 65535) {
            throw new InvalidInputException("the SIP port " + sipPort + " is outside 0-65535");
        }
        if (tlsPort < 0 || tlsPort > 65535) {
            throw new InvalidInputException("the SIP over TLS port " + tlsPort + " is outside 0-65535");
        }
        if (transports.isEmpty()) {
            throw new InvalidInputException("the SIPREC server needs at least one SIP transport: udp, tcp or both");
        }
        transports = Set.copyOf(transports);
    }

    /** 127.0.0.1, UDP and TCP on {@code sipPort}, RTP on 40000-40999, the callee is the agent. */
    public static SiprecSettings defaults(int sipPort) {
        return new SiprecSettings("127.0.0.1", sipPort, EnumSet.allOf(Transport.class), RtpPortRange.DEFAULT,
                AgentRule.CALLEE, SourceAllowList.ANY, null, null, DEFAULT_TLS_PORT);
    }

    public SiprecSettings withHost(String host) {
        return new SiprecSettings(host, sipPort, transports, rtpPorts, agentRule, allowedSources, mediaAddress, tls, tlsPort);
    }

    public SiprecSettings withTransports(Set<Transport> transports) {
        return new SiprecSettings(host, sipPort, transports, rtpPorts, agentRule, allowedSources, mediaAddress, tls, tlsPort);
    }

    public SiprecSettings withRtpPorts(RtpPortRange rtpPorts) {
        return new SiprecSettings(host, sipPort, transports, rtpPorts, agentRule, allowedSources, mediaAddress, tls, tlsPort);
    }

    public SiprecSettings withAgentRule(AgentRule agentRule) {
        return new SiprecSettings(host, sipPort, transports, rtpPorts, agentRule, allowedSources, mediaAddress, tls, tlsPort);
    }

    public SiprecSettings withAllowedSources(SourceAllowList allowedSources) {
        return new SiprecSettings(host, sipPort, transports, rtpPorts, agentRule, allowedSources, mediaAddress, tls, tlsPort);
    }

    public SiprecSettings withMediaAddress(String mediaAddress) {
        return new SiprecSettings(host, sipPort, transports, rtpPorts, agentRule, allowedSources, mediaAddress, tls, tlsPort);
    }

    /** SIP over TLS on {@code tlsPort} too, with the certificate and key in {@code tls}'s key store. */
    public SiprecSettings withTls(int tlsPort, TlsSettings tls) {
        return new SiprecSettings(host, sipPort, transports, rtpPorts, agentRule, allowedSources, mediaAddress, tls, tlsPort);
    }
}
