package io.emostream.ingest.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.audio.AudioLimits;
import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.AudioEncodings;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.chunk.CallIds;
import io.emostream.ingest.chunk.SpeakerRoles;
import io.emostream.schema.SpeakerRole;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON text message that opens a live call:
 * <pre>{"type":"start","callId":"c-17","sampleRate":8000,"encoding":"mulaw","channels":2,
 *  "roles":["agent","customer"],"source":"softphone-3"}</pre>
 * {@code channels} defaults to the number of roles (or 1), {@code roles} to unknown, {@code source} to the
 * client's address.
 */
final class StartMessage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StartMessage() {
    }

    /** @throws InvalidInputException with one sentence saying what is wrong with the message */
    static CallFormat parse(String text, String clientAddress) {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidInputException("start message is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidInputException("start message must be a JSON object");
        }
        if (!"start".equals(json.path("type").asText())) {
            throw new InvalidInputException("the first message must have \"type\":\"start\"");
        }
        String callId = json.path("callId").asText(null);
        String problem = CallIds.problemWith(callId);
        if (problem != null) {
            throw new InvalidInputException("start message: " + problem);
        }
        JsonNode rate = json.path("sampleRate");
        if (!rate.canConvertToInt() || !rate.isIntegralNumber()) {
            throw new InvalidInputException("start message: sampleRate must be a whole number of Hz, e.g. 16000");
        }
        if (!json.path("encoding").isTextual()) {
            throw new InvalidInputException("start message: encoding is missing; use one of " + AudioEncodings.NAMES);
        }
        List<SpeakerRole> roles = roles(json.path("roles"));
        int channels = json.has("channels") ? json.path("channels").asInt(0) : Math.max(1, roles.size());
        if (channels < 1 || channels > AudioLimits.MAX_CHANNELS) {
            throw new InvalidInputException("start message: channels must be between 1 and " + AudioLimits.MAX_CHANNELS);
        }
        if (roles.size() > channels) {
            throw new InvalidInputException("start message: " + roles.size() + " roles given for " + channels + " channels");
        }
        String source = json.hasNonNull("source") ? json.path("source").asText() : clientAddress;
        try {
            return new CallFormat(callId, rate.asInt(), AudioEncodings.parse(json.path("encoding").asText()),
                    SpeakerRoles.forChannels(roles, channels), "ws:" + source, identity(json));
        } catch (InvalidInputException e) {
            throw new InvalidInputException("start message: " + e.getMessage(), e);
        }
    }

    /** Optional "speakers": ["sam", null] and "series": "billing". */
    private static CallIdentity identity(JsonNode json) {
        JsonNode speakers = json.path("speakers");
        List<String> names = new ArrayList<>();
        if (!speakers.isMissingNode() && !speakers.isNull()) {
            if (!speakers.isArray()) {
                throw new InvalidInputException("speakers must be a list such as [\"sam\", null]");
            }
            speakers.forEach(name -> names.add(name.isNull() ? null : name.asText()));
        }
        JsonNode series = json.path("series");
        return new CallIdentity(names, series.isTextual() ? series.asText() : null);
    }

    private static List<SpeakerRole> roles(JsonNode node) {
        List<SpeakerRole> roles = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return roles;
        }
        if (!node.isArray()) {
            throw new InvalidInputException("start message: roles must be a list such as [\"agent\",\"customer\"]");
        }
        for (JsonNode role : node) {
            try {
                roles.add(SpeakerRoles.parseOne(role.asText()));
            } catch (InvalidInputException e) {
                throw new InvalidInputException("start message: " + e.getMessage(), e);
            }
        }
        return roles;
    }
}
