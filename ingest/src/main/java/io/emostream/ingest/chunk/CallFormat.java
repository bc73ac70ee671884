package io.emostream.ingest.chunk;

import io.emostream.audio.AudioLimits;
import io.emostream.audio.SampleEncoding;
import io.emostream.ingest.InvalidInputException;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.util.List;

/**
 * What a call's audio looks like as it arrives: one entry in {@code roles} per channel, each channel becoming its
 * own speaker stream; and, when known, who speaks and what the call belongs to.
 */
public record CallFormat(String callId, int sampleRate, AudioEncoding encoding, List<SpeakerRole> roles, String source,
                         CallIdentity identity) {

    /** A call nobody named speakers or a series for. */
    public CallFormat(String callId, int sampleRate, AudioEncoding encoding, List<SpeakerRole> roles, String source) {
        this(callId, sampleRate, encoding, roles, source, CallIdentity.NONE);
    }

    public CallFormat {
        CallIds.requireValid(callId);
        if (sampleRate < AudioLimits.MIN_SAMPLE_RATE || sampleRate > AudioLimits.MAX_SAMPLE_RATE) {
            throw new InvalidInputException("sample rate " + sampleRate + " Hz is outside "
                    + AudioLimits.MIN_SAMPLE_RATE + ".." + AudioLimits.MAX_SAMPLE_RATE + " Hz");
        }
        if (roles.isEmpty() || roles.size() > AudioLimits.MAX_CHANNELS) {
            throw new InvalidInputException("a call has 1 to " + AudioLimits.MAX_CHANNELS + " channels, not " + roles.size());
        }
        roles = List.copyOf(roles);
        if (identity.speakers().size() > roles.size()) {
            throw new InvalidInputException(identity.speakers().size() + " speakers named for " + roles.size() + " channels");
        }
    }

    /** The record's encoding for audio the audio core delivers in {@code encoding}; the two enums match by name. */
    public static AudioEncoding schemaEncoding(SampleEncoding encoding) {
        return AudioEncoding.valueOf(encoding.name());
    }

    public int channels() {
        return roles.size();
    }

    public int bytesPerSample() {
        return SampleEncoding.valueOf(encoding.name()).bytesPerSample();
    }
}
