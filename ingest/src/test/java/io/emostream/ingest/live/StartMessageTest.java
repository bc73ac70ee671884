package io.emostream.ingest.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.chunk.CallFormat;
import io.emostream.schema.AudioEncoding;
import io.emostream.schema.SpeakerRole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StartMessageTest {

    @Test
    void aCompleteStartMessageDescribesTheCall() {
        CallFormat format = StartMessage.parse("{\"type\":\"start\",\"callId\":\"c-17\",\"sampleRate\":8000,"
                + "\"encoding\":\"mulaw\",\"channels\":2,\"roles\":[\"agent\",\"customer\"],\"source\":\"phone-3\"}", "1.2.3.4:5");

        assertThat(format.callId()).isEqualTo("c-17");
        assertThat(format.sampleRate()).isEqualTo(8000);
        assertThat(format.encoding()).isEqualTo(AudioEncoding.MULAW);
        assertThat(format.roles()).containsExactly(SpeakerRole.AGENT, SpeakerRole.CUSTOMER);
        assertThat(format.source()).isEqualTo("ws:phone-3");
    }

    @Test
    void channelsDefaultToTheRolesAndTheSourceToTheClient() {
        CallFormat format = StartMessage.parse(
                "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":16000,\"encoding\":\"s16le\"}", "10.0.0.1:999");

        assertThat(format.roles()).containsExactly(SpeakerRole.UNKNOWN);
        assertThat(format.source()).isEqualTo("ws:10.0.0.1:999");
    }

    @Test
    void speakersAndSeriesNameWhoTalksAndWhatTheCallBelongsTo() {
        CallFormat format = StartMessage.parse("{\"type\":\"start\",\"callId\":\"c-18\",\"sampleRate\":8000,"
                + "\"encoding\":\"mulaw\",\"roles\":[\"agent\",\"customer\"],\"speakers\":[\"sam\",null],\"series\":\"billing\"}", "client");

        assertThat(format.identity().speaker(0)).isEqualTo("sam");
        assertThat(format.identity().speaker(1)).isNull();
        assertThat(format.identity().series()).isEqualTo("billing");
    }

    @Test
    void controlCharactersTheClientSentAreShownEscapedInTheOneLine() {
        // Found by StartMessageFuzzTest: a role with a line break went raw into the message, breaking its one line;
        // the encoding, a call id with '/' and speaker names were quoted the same way.
        String start = "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":8000,\"encoding\":\"mulaw\",";
        assertThatThrownBy(() -> StartMessage.parse(start + "\"roles\":[\"ag\\nt\"]}", "client"))
                .hasMessage("start message: unknown speaker role 'ag\\x0At'; use one of agent, customer, host, guest, unknown");
        assertThatThrownBy(() -> StartMessage.parse(start.replace("mulaw", "mu\\r\\nlaw") + "\"channels\":1}", "client"))
                .hasMessageStartingWith("start message: unknown encoding 'mu\\x0D\\x0Alaw'");
        assertThatThrownBy(() -> StartMessage.parse(start.replace("\"c\"", "\"a/\\nb\"") + "\"channels\":1}", "client"))
                .hasMessageStartingWith("start message: the call id 'a/\\x0Ab' contains '/'");
        assertThatThrownBy(() -> StartMessage.parse(start + "\"speakers\":[\"sam\\n\"]}", "client"))
                .hasMessageStartingWith("start message: speaker name 'sam\\x0A' must be 1 to 128 characters");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json|start message is not valid JSON",
        "[1,2]|start message must be a JSON object",
        "{\"type\":\"hello\"}|the first message must have \"type\":\"start\"",
        "{\"type\":\"start\",\"sampleRate\":8000,\"encoding\":\"mulaw\"}|start message: the call id is empty",
        "{\"type\":\"start\",\"callId\":\"a/b\",\"sampleRate\":8000,\"encoding\":\"mulaw\"}|contains '/'",
        "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":\"fast\",\"encoding\":\"mulaw\"}|sampleRate must be a whole number",
        "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":50,\"encoding\":\"mulaw\"}|outside 1000..384000 Hz",
        "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":8000}|encoding is missing",
        "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":8000,\"encoding\":\"mp3\"}|unknown encoding 'mp3'",
        "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":8000,\"encoding\":\"alaw\",\"channels\":0}|channels must be between 1 and 32",
        "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":8000,\"encoding\":\"alaw\",\"channels\":1,\"roles\":[\"agent\",\"customer\"]}|2 roles given for 1 channels",
        "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":8000,\"encoding\":\"alaw\",\"roles\":[\"boss\"]}|unknown speaker role 'boss'",
        "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":8000,\"encoding\":\"alaw\",\"speakers\":\"sam\"}|speakers must be a list",
        "{\"type\":\"start\",\"callId\":\"c\",\"sampleRate\":8000,\"encoding\":\"alaw\",\"speakers\":[\"a\",\"b\"]}|2 speakers named for 1 channels",
    })
    void aBadStartMessageIsRefusedWithOneSentenceSayingWhy(String message, String expected) {
        assertThatThrownBy(() -> StartMessage.parse(message, "client"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }
}
