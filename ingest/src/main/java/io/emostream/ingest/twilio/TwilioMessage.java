package io.emostream.ingest.twilio;

import io.emostream.ingest.InvalidInputException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One JSON text message Twilio sends on a Media Streams WebSocket
 * (https://www.twilio.com/docs/voice/media-streams/websocket-messages): {@code connected}, then {@code start}, then
 * {@code media} (and {@code dtmf}, {@code mark}) until {@code stop}. {@link MessageReader} reads them.
 */
sealed interface TwilioMessage {

    /** The two directions of a call's audio: inbound is what the caller says, outbound what Twilio sends them. */
    enum Track {
        INBOUND, OUTBOUND;

        static Track parse(String name, String where) {
            if ("inbound".equals(name)) {
                return INBOUND;
            }
            if ("outbound".equals(name)) {
                return OUTBOUND;
            }
            throw new InvalidInputException(where + " names track '" + InvalidInputException.printable(name)
                    + "'; Twilio's tracks are inbound and outbound");
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The first message: the WebSocket is open. */
    record Connected(String protocol, String version) implements TwilioMessage {
    }

    /**
     * The stream's metadata, once. {@code tracks} are the tracks media will come for; {@code customParameters} are the
     * {@code <Parameter>} elements of the TwiML {@code <Stream>}, in their order.
     */
    record Start(String streamSid, String callSid, String accountSid, Set<Track> tracks,
                 Map<String, String> customParameters) implements TwilioMessage {
    }

    /** 20 ms or so of one track: μ-law 8 kHz mono, {@code timestampMs} after the stream's start. */
    record Media(Track track, long chunk, long timestampMs, byte[] payload) implements TwilioMessage {
    }

    /** A key the caller pressed. */
    record Dtmf(String track, String digit) implements TwilioMessage {
    }

    /** Bidirectional streams: audio the server sent up to a named mark has been played. */
    record Mark(String name) implements TwilioMessage {
    }

    /** The stream has ended (hang-up, {@code <Stop><Stream>}, or the REST API stopped it). */
    record Stop(String callSid) implements TwilioMessage {
    }

    /** An event this version does not know. */
    record Other(String event) implements TwilioMessage {
    }
}
