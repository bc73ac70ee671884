package io.emostream.ingest.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.twilio.TwilioMessage.Start;
import io.emostream.ingest.twilio.TwilioMessage.Track;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamCallTest {
    private static final TwilioSettings DEFAULTS = TwilioSettings.defaults();

    private static Start start(Set<Track> tracks, Map<String, String> parameters) {
        return new Start("MZ11", "CA22", "AC33", tracks, parameters);
    }

    @Test
    void bothTracksAreTwoChannelsOfTheCallNamedByItsCallSid() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("agent", "sam");
        parameters.put("series", "billing");
        parameters.put("from", "+15551230001");
        parameters.put("To", "+15559870002");
        parameters.put("queue", "gold");
        parameters.put("empty", " ");

        StreamCall stream = StreamCall.of(start(Set.of(Track.OUTBOUND, Track.INBOUND), parameters), DEFAULTS, "10.0.0.9:4410");

        CallFormat format = stream.format();
        assertThat(format.callId()).isEqualTo("CA22");
        assertThat(format.sampleRate()).isEqualTo(8000);
        assertThat(format.encoding()).isEqualTo(AudioEncoding.MULAW);
        assertThat(format.roles()).containsExactly(SpeakerRole.CUSTOMER, SpeakerRole.AGENT);
        assertThat(format.source()).isEqualTo("twilio:10.0.0.9:4410");
        assertThat(stream.channel(Track.INBOUND)).isZero();
        assertThat(stream.channel(Track.OUTBOUND)).isEqualTo(1);
        assertThat(stream.describe()).isEqualTo("inbound as channel 0 (customer), outbound as channel 1 (agent)");
        assertThat(format.identity().speakers()).containsExactly(null, "sam");
        assertThat(format.identity().series()).isEqualTo("billing");
        assertThat(format.identity().metadata()).containsOnly(entry("twilio.callSid", "CA22"), entry("twilio.streamSid", "MZ11"),
                entry("twilio.accountSid", "AC33"), entry("ani", "+15551230001"), entry("dnis", "+15559870002"),
                entry("twilio.param.queue", "gold"));
    }

    @Test
    void oneTrackIsOneChannelWithThatTracksRole() {
        StreamCall inbound = StreamCall.of(start(Set.of(Track.INBOUND), Map.of("agent", "sam")), DEFAULTS, "peer");
        assertThat(inbound.format().roles()).containsExactly(SpeakerRole.CUSTOMER);
        assertThat(inbound.channel(Track.OUTBOUND)).isEqualTo(-1);
        assertThat(inbound.format().identity().speakers()).containsExactly((String) null);
        assertThat(inbound.format().identity().metadata()).as("an agent no channel belongs to is kept")
                .contains(entry("twilio.param.agent", "sam"));

        StreamCall outbound = StreamCall.of(start(Set.of(Track.OUTBOUND), Map.of("agent", "sam")), DEFAULTS, "peer");
        assertThat(outbound.format().roles()).containsExactly(SpeakerRole.AGENT);
        assertThat(outbound.channel(Track.OUTBOUND)).isZero();
        assertThat(outbound.format().identity().speakers()).containsExactly("sam");
    }

    @Test
    void rolesComeFromTheSettings() {
        TwilioSettings swapped = DEFAULTS.withRoles(SpeakerRole.AGENT, SpeakerRole.CUSTOMER);

        StreamCall stream = StreamCall.of(start(Set.of(Track.INBOUND, Track.OUTBOUND), Map.of("agent", "sam")), swapped, "peer");

        assertThat(stream.format().roles()).containsExactly(SpeakerRole.AGENT, SpeakerRole.CUSTOMER);
        assertThat(stream.format().identity().speakers()).containsExactly("sam", null);
    }

    @Test
    void unusableNamesAreRefusedWithASentence() {
        assertThatThrownBy(() -> StreamCall.of(start(Set.of(Track.INBOUND, Track.OUTBOUND), Map.of("agent", "sam\u0007")),
                DEFAULTS, "peer"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the start message of stream MZ11: speaker name 'sam\\x07' must be 1 to 128 characters without control characters");
        assertThatThrownBy(() -> StreamCall.of(new Start("MZ11", "CA/22", null, Set.of(Track.INBOUND), Map.of()), DEFAULTS, "peer"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the start message of stream MZ11: the call id 'CA/22' contains '/', which utterance ids use as a separator");
    }

    @Test
    void mediaGoesWhereItsTimestampSaysUnlessThatIsWithinAMillisecondOfTheChannel() {
        assertThat(StreamCall.atSample(0, 0)).isZero();
        assertThat(StreamCall.atSample(160, 20)).isEqualTo(160);
        assertThat(StreamCall.atSample(164, 20)).as("rounded down to the millisecond").isEqualTo(164);
        assertThat(StreamCall.atSample(156, 20)).as("rounded up to the millisecond").isEqualTo(156);
        assertThat(StreamCall.atSample(160, 21)).as("a whole millisecond later is a gap").isEqualTo(168);
        assertThat(StreamCall.atSample(160, 320)).as("300 ms missing").isEqualTo(2560);
        assertThat(StreamCall.atSample(2560, 300)).as("a repeat").isEqualTo(2400);
    }
}
