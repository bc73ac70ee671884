package io.emostream.ingest.twilio;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.twilio.TwilioMessage.Start;
import io.emostream.ingest.twilio.TwilioMessage.Track;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one Twilio stream becomes one call. The call id is the Call SID, the id Twilio's console, call logs and REST API
 * use, so the wallboard's calls can be looked up there. Each track is a channel: with {@code both_tracks} the inbound
 * track (the caller) is channel 0 and the outbound track channel 1; a stream of one track has one channel. Custom
 * parameters {@code agent} and {@code series} name the speaker of the agent's channel and the call's series;
 * {@code from} and {@code to} become {@code ani} and {@code dnis}; the other parameters and Twilio's ids go to the
 * metadata every chunk carries.
 */
final class StreamCall {
    private static final String AGENT = "agent";
    private static final String SERIES = "series";
    private static final String FROM = "from";
    private static final String TO = "to";
    private static final long SAMPLES_PER_MS = MessageReader.SAMPLE_RATE / 1000;

    private final CallFormat format;
    private final Map<Track, Integer> channels;

    private StreamCall(CallFormat format, Map<Track, Integer> channels) {
        this.format = format;
        this.channels = channels;
    }

    /** @throws InvalidInputException with one sentence when the start message names an unusable call id or speaker */
    static StreamCall of(Start start, TwilioSettings settings, String peer) {
        Map<Track, Integer> channels = new EnumMap<>(Track.class);
        List<SpeakerRole> roles = new ArrayList<>();
        for (Track track : Track.values()) {
            if (start.tracks().contains(track)) {
                channels.put(track, roles.size());
                roles.add(track == Track.INBOUND ? settings.inboundRole() : settings.outboundRole());
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("twilio.callSid", start.callSid());
        metadata.put("twilio.streamSid", start.streamSid());
        if (start.accountSid() != null) {
            metadata.put("twilio.accountSid", start.accountSid());
        }
        String agent = null;
        String series = null;
        for (Map.Entry<String, String> parameter : start.customParameters().entrySet()) {
            String value = parameter.getValue().strip();
            if (value.isEmpty()) {
                continue;
            }
            switch (parameter.getKey().toLowerCase(Locale.ROOT)) {
                case AGENT -> agent = value;
                case SERIES -> series = value;
                case FROM -> metadata.put("ani", value);
                case TO -> metadata.put("dnis", value);
                default -> metadata.put("twilio.param." + parameter.getKey(), value);
            }
        }
        List<String> speakers = new ArrayList<>();
        boolean agentPlaced = false;
        for (SpeakerRole role : roles) {
            boolean agentChannel = agent != null && role == SpeakerRole.AGENT;
            speakers.add(agentChannel ? agent : null);
            agentPlaced |= agentChannel;
        }
        if (agent != null && !agentPlaced) {
            // No channel is the agent's (an inbound-only stream, say): the name is kept rather than lost.
            metadata.put("twilio.param." + AGENT, agent);
        }
        try {
            CallIdentity identity = new CallIdentity(speakers, series, metadata);
            return new StreamCall(new CallFormat(start.callSid(), MessageReader.SAMPLE_RATE, AudioEncoding.MULAW, roles,
                    "twilio:" + peer, identity), channels);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("the start message of stream " + start.streamSid() + ": " + e.getMessage(), e);
        }
    }

    CallFormat format() {
        return format;
    }

    /**
     * Where a media message's audio goes on its channel, in samples from the call's start: at its timestamp, so that
     * the tracks stay aligned and missing audio leaves a gap; but right after the channel's audio so far when the two
     * are less than a millisecond apart, since a whole-millisecond timestamp cannot say more.
     */
    static long atSample(long channelPosition, long timestampMs) {
        long stamped = timestampMs * SAMPLES_PER_MS;
        return Math.abs(stamped - channelPosition) < SAMPLES_PER_MS ? channelPosition : stamped;
    }

    /** The channel a track's audio goes to, or -1 when the start message did not announce the track. */
    int channel(Track track) {
        return channels.getOrDefault(track, -1);
    }

    /** For logs, e.g. "inbound as channel 0 (customer), outbound as channel 1 (agent)". */
    String describe() {
        List<String> parts = new ArrayList<>();
        channels.forEach((track, channel) -> parts.add(track.wireName() + " as channel " + channel + " ("
                + format.roles().get(channel).name().toLowerCase(Locale.ROOT) + ")"));
        return String.join(", ", parts);
    }
}
