package io.emostream.ingest.chunk;

import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import java.util.List;

/**
 * What a call's audio looks like as it arrives: one entry in {@code roles} per channel, each channel becoming its
 * own speaker stream.
 */
public record CallFormat(String callId, int sampleRate, AudioEncoding encoding, List<SpeakerRole> roles, String source) {

    public CallFormat {
        CallIds.requireValid(callId);
        if (sampleRate < 1000 || sampleRate > 384_000) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is outside 1000..384000 Hz");
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a call needs at least one channel");
        }
        roles = List.copyOf(roles);
    }

    public int channels() {
        return roles.size();
    }

    public int bytesPerSample() {
        return encoding == AudioEncoding.PCM_S16LE ? 2 : 1;
    }
}
