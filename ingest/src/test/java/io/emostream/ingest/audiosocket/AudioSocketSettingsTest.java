package io.emostream.ingest.audiosocket;

import io.emostream.ingest.live.SourceAllowList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.InvalidInputException;
import io.emostream.schema.SpeakerRole;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AudioSocketSettingsTest {
    @Test
    void aPortAloneListensLocallyForCustomersFromAnyAddress() {
        AudioSocketSettings settings = AudioSocketSettings.parse("9092");

        assertThat(settings).isEqualTo(new AudioSocketSettings("127.0.0.1", 9092, SpeakerRole.CUSTOMER, SourceAllowList.ANY));
    }

    @Test
    void aRoleAfterThePortIsTheRoleOfEveryCallOnIt() {
        assertThat(AudioSocketSettings.parse("9093:agent").role()).isEqualTo(SpeakerRole.AGENT);
    }

    @Test
    void aBadOptionValueIsRefusedInOneSentence() {
        assertThatThrownBy(() -> AudioSocketSettings.parse("agent:9093"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--audiosocket 'agent:9093' must be PORT or PORT:ROLE, e.g. 9092 or 9093:agent");
        assertThatThrownBy(() -> AudioSocketSettings.parse("9093:boss"))
                .hasMessage("unknown speaker role 'boss'; use one of agent, customer, host, guest, unknown");
        assertThatThrownBy(() -> AudioSocketSettings.parse("70000"))
                .hasMessage("AudioSocket port 70000 is not a TCP port (0 to 65535)");
    }

    @Test
    void anAllowListHoldsAddressesAndRanges() throws Exception {
        SourceAllowList list = SourceAllowList.parse(" 10.0.0.0/8, 192.168.1.5 ,fd00::/8");

        assertThat(list.allows(InetAddress.getByName("10.200.3.4"))).isTrue();
        assertThat(list.allows(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(list.allows(InetAddress.getByName("192.168.1.5"))).isTrue();
        assertThat(list.allows(InetAddress.getByName("192.168.1.6"))).isFalse();
        assertThat(list.allows(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(list.allows(InetAddress.getByName("::1"))).isFalse();
        assertThat(list).hasToString("10.0.0.0/8,192.168.1.5,fd00::/8");
    }

    @Test
    void noAllowListOrAnyAllowsAnyAddressAndAnEmptyOneIsRefused() throws Exception {
        assertThat(SourceAllowList.ANY.allows(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(SourceAllowList.ANY.isConfigured()).isFalse();
        assertThat(SourceAllowList.parse("any").allows(InetAddress.getByName("2001:db8::1"))).isTrue();
        assertThat(SourceAllowList.parse("any").isConfigured()).isTrue();
        assertThatThrownBy(() -> SourceAllowList.parse(" , ")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the allow-list ' , ' names no address");
    }

    @Test
    void anAllowListEntryThatIsNoAddressIsRefusedInOneSentence() {
        for (String entry : new String[] {"pbx.example.com", "10.0.0.0/33", "300.1.1.1", "10.0.0.0/x", "fd00::zz"}) {
            assertThatThrownBy(() -> SourceAllowList.parse("10.0.0.1," + entry))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("allow-list entry '" + entry + "' is not an IP address or CIDR range such as 10.0.0.5 or 10.0.0.0/8");
        }
    }
}
