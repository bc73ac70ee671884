package io.emostream.ingest.siprec;

import io.emostream.ingest.live.SourceAllowList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.InvalidInputException;
import io.emostream.schema.SpeakerRole;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SiprecSettingsTest {
    private static final RecordingMetadata.Participant CALLER = new RecordingMetadata.Participant("sip:+15551230001@carrier.example.net", "Alice");
    private static final RecordingMetadata.Participant AGENT = new RecordingMetadata.Participant("sip:2001@agents.example.com", "Bob");

    @Test
    void rtpPortRangesAreParsedAndCountTheirStreams() {
        assertThat(RtpPortRange.parse("40000-40999")).isEqualTo(new RtpPortRange(40000, 40999));
        assertThat(RtpPortRange.parse(" 40001 - 40004 ").streams()).as("40002 and 40004 (with 40005 outside)").isEqualTo(1);
        assertThat(RtpPortRange.DEFAULT.streams()).isEqualTo(500);
    }

    @Test
    void aBadRtpPortRangeIsOneSentence() {
        assertThatThrownBy(() -> RtpPortRange.parse("40000")).isInstanceOf(InvalidInputException.class)
                .hasMessage("the RTP port range '40000' must be two ports joined by '-', e.g. 40000-40999");
        assertThatThrownBy(() -> RtpPortRange.parse("50000-40000"))
                .hasMessage("the RTP port range 50000-40000 must lie within 1024-65535 with its lower end first, e.g. 40000-40999");
        assertThatThrownBy(() -> RtpPortRange.parse("40001-40002"))
                .hasMessage("the RTP port range 40001-40002 holds no even port with its odd neighbour; give it at least two ports, e.g. 40000-40999");
    }

    @Test
    void theDefaultAgentRuleTakesTheFirstStreamForTheCaller() {
        assertThat(AgentRule.parse("callee").roles(Arrays.asList(CALLER, AGENT))).containsExactly(SpeakerRole.CUSTOMER, SpeakerRole.AGENT);
        assertThat(AgentRule.parse("Caller").roles(Arrays.asList(AGENT, CALLER, null)))
                .containsExactly(SpeakerRole.AGENT, SpeakerRole.CUSTOMER, SpeakerRole.CUSTOMER);
    }

    @Test
    void aPatternFindsTheAgentByAorOrName() {
        AgentRule byDomain = AgentRule.parse("@AGENTS\\.example\\.com$");
        assertThat(byDomain.roles(Arrays.asList(AGENT, CALLER, null)))
                .containsExactly(SpeakerRole.AGENT, SpeakerRole.CUSTOMER, SpeakerRole.UNKNOWN);
        assertThat(AgentRule.parse("^bob$").roles(List.of(CALLER, AGENT))).containsExactly(SpeakerRole.CUSTOMER, SpeakerRole.AGENT);
    }

    @Test
    void aBadAgentRuleIsOneSentence() {
        assertThatThrownBy(() -> AgentRule.parse("sip:(2")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the SIPREC agent rule 'sip:(2' is not a valid regular expression (")
                .hasMessageEndingWith("); use callee, caller or a Java regular expression");
        assertThatThrownBy(() -> AgentRule.parse(" ")).hasMessageStartingWith("the SIPREC agent rule is empty");
    }

    @Test
    void theAllowListTakesAddressesAndBlocks() throws Exception {
        SourceAllowList list = SourceAllowList.parse("10.0.0.5, 10.1.0.0/16,2001:db8::/32");

        assertThat(list.allows(InetAddress.getByName("10.0.0.5"))).isTrue();
        assertThat(list.allows(InetAddress.getByName("10.0.0.6"))).isFalse();
        assertThat(list.allows(InetAddress.getByName("10.1.255.1"))).isTrue();
        assertThat(list.allows(InetAddress.getByName("2001:db8::1"))).isTrue();
        assertThat(list.allows(InetAddress.getByName("2001:db9::1"))).isFalse();
        assertThat(SourceAllowList.parse("any").allows(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(SourceAllowList.ANY.isConfigured()).isFalse();
    }

    @Test
    void transportsAreParsed() {
        assertThat(SiprecSettings.Transport.parseList("TCP, udp")).isEqualTo(Set.of(SiprecSettings.Transport.UDP, SiprecSettings.Transport.TCP));
        assertThatThrownBy(() -> SiprecSettings.Transport.parseList("sctp"))
                .hasMessage("unknown SIP transport 'sctp'; use udp, tcp or both, e.g. udp,tcp");
    }
}
