package io.emostream.ingest.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.twilio.TwilioMessage.Connected;
import io.emostream.ingest.twilio.TwilioMessage.Dtmf;
import io.emostream.ingest.twilio.TwilioMessage.Mark;
import io.emostream.ingest.twilio.TwilioMessage.Media;
import io.emostream.ingest.twilio.TwilioMessage.Other;
import io.emostream.ingest.twilio.TwilioMessage.Start;
import io.emostream.ingest.twilio.TwilioMessage.Stop;
import io.emostream.ingest.twilio.TwilioMessage.Track;
import java.io.IOException;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads Twilio's JSON text messages. Twilio writes numbers as strings ({@code "chunk": "1"}); JSON numbers are read
 * too. Fields this adapter does not use ({@code sequenceNumber}, bidirectional-only ones) are not checked, so a message
 * with more fields than documented still reads.
 */
final class MessageReader {
    /** The audio Media Streams send, and the only audio this adapter takes. */
    static final String ENCODING = "audio/x-mulaw";
    static final int SAMPLE_RATE = 8000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageReader() {
    }

    /** @throws InvalidInputException with one sentence saying what is wrong with the message */
    static TwilioMessage read(String text) {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidInputException("a message is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidInputException("a message is not a JSON object");
        }
        JsonNode event = json.path("event");
        if (!event.isTextual()) {
            throw new InvalidInputException("a message has no \"event\"");
        }
        return switch (event.asText()) {
            case "connected" -> new Connected(json.path("protocol").asText(null), json.path("version").asText(null));
            case "start" -> start(json.path("start"));
            case "media" -> media(json.path("media"));
            case "dtmf" -> new Dtmf(json.path("dtmf").path("track").asText(null), json.path("dtmf").path("digit").asText(null));
            case "mark" -> new Mark(json.path("mark").path("name").asText(null));
            case "stop" -> new Stop(json.path("stop").path("callSid").asText(null));
            default -> new Other(event.asText());
        };
    }

    private static Start start(JsonNode start) {
        if (!start.isObject()) {
            throw new InvalidInputException("the start message has no \"start\" object");
        }
        String streamSid = text(start, "streamSid", "the start message");
        String callSid = text(start, "callSid", "the start message");
        JsonNode format = start.path("mediaFormat");
        String encoding = format.path("encoding").asText(null);
        long rate = number(format.path("sampleRate"), "the start message's mediaFormat.sampleRate");
        long channels = format.has("channels") ? number(format.path("channels"), "the start message's mediaFormat.channels") : 1;
        if (!ENCODING.equals(encoding) || rate != SAMPLE_RATE || channels != 1) {
            throw new InvalidInputException("the start message's mediaFormat is "
                    + (encoding == null ? null : InvalidInputException.printable(encoding)) + " at " + rate + " Hz, "
                    + (channels == 1 ? "mono" : channels + " channels") + "; Media Streams send " + ENCODING + " at "
                    + SAMPLE_RATE + " Hz, mono");
        }
        JsonNode trackNames = start.path("tracks");
        if (!trackNames.isArray() || trackNames.isEmpty()) {
            throw new InvalidInputException(
                    "the start message lists no tracks; expected e.g. \"tracks\": [\"inbound\", \"outbound\"]");
        }
        Set<Track> tracks = EnumSet.noneOf(Track.class);
        trackNames.forEach(name -> tracks.add(Track.parse(name.asText(), "the start message")));
        JsonNode custom = start.path("customParameters");
        if (!custom.isMissingNode() && !custom.isNull() && !custom.isObject()) {
            throw new InvalidInputException("the start message's customParameters is not a JSON object");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        custom.properties().forEach(field -> parameters.put(field.getKey(), field.getValue().asText()));
        return new Start(streamSid, callSid, start.path("accountSid").asText(null), Collections.unmodifiableSet(tracks),
                Collections.unmodifiableMap(parameters));
    }

    private static Media media(JsonNode media) {
        if (!media.isObject()) {
            throw new InvalidInputException("a media message has no \"media\" object");
        }
        long chunk = number(media.path("chunk"), "a media message's chunk");
        String where = "media chunk " + chunk;
        Track track = Track.parse(text(media, "track", where), where);
        long timestamp = number(media.path("timestamp"), where + "'s timestamp");
        if (timestamp > MAX_TIMESTAMP_MS) {
            throw new InvalidInputException(where + "'s timestamp " + timestamp + " ms is beyond a day of audio");
        }
        String payload = text(media, "payload", where);
        try {
            return new Media(track, chunk, timestamp, Base64.getDecoder().decode(payload));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where + " of track " + track.wireName() + " has a payload that is not base64");
        }
    }

    /** A stream's timestamps count from its start; one beyond a day is corrupt, not a long call. */
    static final long MAX_TIMESTAMP_MS = 24L * 3600 * 1000;

    private static String text(JsonNode parent, String field, String where) {
        JsonNode value = parent.path(field);
        if (!value.isTextual()) {
            throw new InvalidInputException(where + " has no \"" + field + "\"");
        }
        return value.asText();
    }

    /** A whole number that is not negative, written as Twilio does ({@code "135"}) or as a JSON number. */
    private static long number(JsonNode value, String what) {
        String written = value.isTextual() ? value.asText() : value.isIntegralNumber() ? value.asText() : null;
        if (written != null && written.matches("[0-9]{1,18}")) {
            return Long.parseLong(written);
        }
        throw new InvalidInputException(what + " must be a whole number that is not negative, not " + value);
    }
}
