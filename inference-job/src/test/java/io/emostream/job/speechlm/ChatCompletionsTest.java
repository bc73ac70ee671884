package io.emostream.job.speechlm;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.testkit.ScriptedSpeechLmServer;
import org.junit.jupiter.api.Test;

/** Which answers of a server say it cannot serve structured output, and which say something else. */
class ChatCompletionsTest {

    @Test
    void aRefusalIsABadRequestThatNamesTheField() {
        String vllm = ((ScriptedSpeechLmServer.Status) ScriptedSpeechLmServer.REFUSED_RESPONSE_FORMAT).body();

        assertThat(ChatCompletions.refusesStructuredOutput(400, vllm)).isTrue();
        assertThat(ChatCompletions.refusesStructuredOutput(400, "{\"message\": \"Guided decoding is not enabled for this server\"}")).isTrue();
        assertThat(ChatCompletions.refusesStructuredOutput(422, "{\"detail\": [{\"loc\": [\"body\", \"response_format\"]}]}")).isTrue();
        assertThat(ChatCompletions.refusesStructuredOutput(400, "{\"message\": \"messages must not be empty\"}")).isFalse();
        assertThat(ChatCompletions.refusesStructuredOutput(500, "{\"message\": \"xgrammar crashed on response_format\"}"))
                .as("a server error is retried as one").isFalse();
        assertThat(ChatCompletions.refusesStructuredOutput(400, null)).isFalse();
    }
}
