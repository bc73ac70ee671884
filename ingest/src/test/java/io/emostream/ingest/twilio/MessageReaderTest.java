package io.emostream.ingest.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.twilio.TwilioMessage.Connected;
import io.emostream.ingest.twilio.TwilioMessage.Dtmf;
import io.emostream.ingest.twilio.TwilioMessage.Mark;
import io.emostream.ingest.twilio.TwilioMessage.Media;
import io.emostream.ingest.twilio.TwilioMessage.Other;
import io.emostream.ingest.twilio.TwilioMessage.Start;
import io.emostream.ingest.twilio.TwilioMessage.Stop;
import io.emostream.ingest.twilio.TwilioMessage.Track;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The example messages of Twilio's "Media Streams - WebSocket Messages" page, and what is wrong with bad ones. */
class MessageReaderTest {
    /** 20 ms of μ-law silence, as a media payload carries it. */
    private static final String SILENCE;

    static {
        byte[] silence = new byte[160];
        Arrays.fill(silence, (byte) 0xFF);
        SILENCE = Base64.getEncoder().encodeToString(silence);
    }

    @Test
    void connected() {
        assertThat(MessageReader.read("""
                {
                  "event": "connected",
                  "protocol": "Call",
                  "version": "1.0.0"
                }"""))
                .isEqualTo(new Connected("Call", "1.0.0"));
    }

    @Test
    void start() {
        TwilioMessage message = MessageReader.read("""
                {
                  "event": "start",
                  "sequenceNumber": "1",
                  "start": {
                    "accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                    "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                    "callSid": "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                    "tracks": [ "inbound" ],
                    "mediaFormat": {
                      "encoding": "audio/x-mulaw",
                      "sampleRate": 8000,
                      "channels": 1
                    },
                    "customParameters": {
                      "FirstName": "Jane",
                      "LastName": "Doe",
                      "RemoteParty": "Bob"
                    }
                  },
                  "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
                }""");

        assertThat(message).isInstanceOfSatisfying(Start.class, start -> {
            assertThat(start.streamSid()).isEqualTo("MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
            assertThat(start.callSid()).isEqualTo("CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
            assertThat(start.accountSid()).isEqualTo("ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
            assertThat(start.tracks()).containsExactly(Track.INBOUND);
            assertThat(start.customParameters()).containsExactly(
                    java.util.Map.entry("FirstName", "Jane"), java.util.Map.entry("LastName", "Doe"),
                    java.util.Map.entry("RemoteParty", "Bob"));
        });
    }

    @Test
    void startOfBothTracksWithNumbersAsStrings() {
        Start start = (Start) MessageReader.read("""
                {"event":"start","sequenceNumber":"1","start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1",
                 "tracks":["inbound","outbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":"8000","channels":"1"}},
                 "streamSid":"MZ1"}""");

        assertThat(start.tracks()).containsExactly(Track.INBOUND, Track.OUTBOUND);
        assertThat(start.customParameters()).isEmpty();
    }

    @Test
    void media() {
        TwilioMessage message = MessageReader.read("""
                {
                  "event": "media",
                  "sequenceNumber": "3",
                  "media": {
                    "track": "outbound",
                    "chunk": "1",
                    "timestamp": "5",
                    "payload": "%s"
                  },
                  "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
                }""".formatted(SILENCE));

        assertThat(message).isInstanceOfSatisfying(Media.class, media -> {
            assertThat(media.track()).isEqualTo(Track.OUTBOUND);
            assertThat(media.chunk()).isEqualTo(1);
            assertThat(media.timestampMs()).isEqualTo(5);
            assertThat(media.payload()).hasSize(160).containsOnly((byte) 0xFF);
        });
    }

    @Test
    void dtmfMarkAndStop() {
        assertThat(MessageReader.read("""
                {"event": "dtmf", "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "sequenceNumber": "5",
                 "dtmf": {"track": "inbound_track", "digit": "1"}}"""))
                .isEqualTo(new Dtmf("inbound_track", "1"));
        assertThat(MessageReader.read("""
                {"event": "mark", "sequenceNumber": "4", "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                 "mark": {"name": "my label"}}"""))
                .isEqualTo(new Mark("my label"));
        assertThat(MessageReader.read("""
                {"event": "stop", "sequenceNumber": "5",
                 "stop": {"accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "callSid": "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"},
                 "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"}"""))
                .isEqualTo(new Stop("CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"));
    }

    @Test
    void eventsThisVersionDoesNotKnowAreReadAsOther() {
        assertThat(MessageReader.read("{\"event\":\"clear\",\"streamSid\":\"MZ1\"}")).isEqualTo(new Other("clear"));
    }

    @Test
    void eachBadMessageGetsOneSentence() {
        assertRefused("{\"event\":\"media\"", "a message is not valid JSON");
        assertRefused("[1,2]", "a message is not a JSON object");
        assertRefused("{\"type\":\"start\"}", "a message has no \"event\"");
        assertRefused("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"tracks\":[\"inbound\"],"
                + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000}}}", "the start message has no \"callSid\"");
        assertRefused("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\",\"tracks\":[\"inbound\"],"
                        + "\"mediaFormat\":{\"encoding\":\"audio/l16\",\"sampleRate\":16000,\"channels\":1}}}",
                "the start message's mediaFormat is audio/l16 at 16000 Hz, mono; Media Streams send audio/x-mulaw at 8000 Hz, mono");
        assertRefused("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\",\"tracks\":[\"both_tracks\"],"
                        + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}",
                "the start message names track 'both_tracks'; Twilio's tracks are inbound and outbound");
        assertRefused("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\",\"tracks\":[],"
                        + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}",
                "the start message lists no tracks; expected e.g. \"tracks\": [\"inbound\", \"outbound\"]");
        assertRefused(media("inbound", "7", "40", "not base64!"), "media chunk 7 of track inbound has a payload that is not base64");
        assertRefused(media("inbound_track", "7", "40", SILENCE),
                "media chunk 7 names track 'inbound_track'; Twilio's tracks are inbound and outbound");
        assertRefused(media("inbound", "7", "-20", SILENCE),
                "media chunk 7's timestamp must be a whole number that is not negative, not \"-20\"");
        assertRefused(media("inbound", "seven", "40", SILENCE),
                "a media message's chunk must be a whole number that is not negative, not \"seven\"");
        assertRefused("{\"event\":\"media\",\"media\":{\"track\":\"inbound\",\"chunk\":\"7\",\"timestamp\":\"40\"}}",
                "media chunk 7 has no \"payload\"");
    }

    @Test
    void aTrackNameWithALineBreakIsShownEscapedInTheOneLine() {
        // Found by MessageReaderFuzzTest: the name went raw into the message, breaking its one line.
        assertRefused(media("in\\nbound", "7", "40", SILENCE),
                "media chunk 7 names track 'in\\x0Abound'; Twilio's tracks are inbound and outbound");
    }

    @Test
    void anEncodingWithALineBreakIsShownEscapedInTheOneLine() {
        // Found by MessageReaderFuzzTest: the mediaFormat's encoding went raw into the message.
        assertRefused("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\",\"tracks\":[\"inbound\"],"
                        + "\"mediaFormat\":{\"encoding\":\"audio/x-mu\\nlaw\",\"sampleRate\":8000}}}",
                "the start message's mediaFormat is audio/x-mu\\x0Alaw at 8000 Hz, mono; Media Streams send audio/x-mulaw at"
                        + " 8000 Hz, mono");
    }

    private static String media(String track, String chunk, String timestamp, String payload) {
        return "{\"event\":\"media\",\"sequenceNumber\":\"9\",\"media\":{\"track\":\"" + track + "\",\"chunk\":\"" + chunk
                + "\",\"timestamp\":\"" + timestamp + "\",\"payload\":\"" + payload + "\"},\"streamSid\":\"MZ1\"}";
    }

    private static void assertRefused(String message, String sentence) {
        assertThatThrownBy(() -> MessageReader.read(message)).isInstanceOf(InvalidInputException.class).hasMessage(sentence);
    }
}
