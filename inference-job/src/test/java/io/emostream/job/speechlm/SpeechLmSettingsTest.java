package io.emostream.job.speechlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.job.EmotionModels;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The SpeechLM as one --model string: its defaults, its options and the sentences for mistakes. */
class SpeechLmSettingsTest {

    @Test
    void aloneItIsAskedAboutEveryUtteranceWithTheDefaults() {
        SpeechLmSettings settings = SpeechLmSettings.parse("speechlm:http://gpu-1:8000/v1", false);

        assertThat(settings.endpoint()).isEqualTo(URI.create("http://gpu-1:8000/v1/chat/completions"));
        assertThat(settings.model()).isNull();
        assertThat(settings.policy()).isEqualTo(new AskPolicy(true, false, 0, false, 0));
        assertThat(settings.perSecond()).isEqualTo(5);
        assertThat(settings.concurrency()).isEqualTo(8);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.retries()).isEqualTo(2);
        assertThat(settings.backoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.breakerFailures()).isEqualTo(5);
        assertThat(settings.breakerOpen()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxSamples()).isEqualTo(480_000);
        assertThat(settings.id("qwen")).isEqualTo("speechlm:qwen@gpu-1:8000");
    }

    @Test
    void inACascadeItIsAskedAboutTheNonNeutralLowConfidenceAndAlertingOnes() {
        EmotionModels.Spec spec = EmotionModels.parse("onnx:/models/ser+speechlm:https://lm.example.com/v1/chat/completions"
                + "?model=Qwen/Qwen2-Audio-7B-Instruct&confidence-below=0.4&sample=0.02&rps=0.5&timeout=800ms");

        assertThat(spec.local()).isEqualTo("onnx:/models/ser");
        SpeechLmSettings settings = spec.speechLm();
        assertThat(settings.endpoint()).isEqualTo(URI.create("https://lm.example.com/v1/chat/completions"));
        assertThat(settings.model()).isEqualTo("Qwen/Qwen2-Audio-7B-Instruct");
        assertThat(settings.policy()).isEqualTo(new AskPolicy(false, true, 0.4, true, 0.02));
        assertThat(settings.perSecond()).isEqualTo(0.5);
        assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void theAskRulesCanBeChosen() {
        assertThat(SpeechLmSettings.parse("speechlm:http://h/v1?ask=alerting", true).policy())
                .isEqualTo(new AskPolicy(false, false, 0, true, 0));
        assertThat(SpeechLmSettings.parse("speechlm:http://h/v1?ask=none&sample=0.1", true).policy())
                .isEqualTo(new AskPolicy(false, false, 0, false, 0.1));
        assertThat(EmotionModels.parse("cue").speechLm()).isNull();
        assertThat(EmotionModels.parse("speechlm:http://h:1/v1").local()).isEqualTo(EmotionModels.DEFAULT);
    }

    @Test
    void mistakesAreOneSentenceNamingTheOption() {
        assertThatThrownBy(() -> EmotionModels.parse("speechlm:gpu-1:8000"))
                .hasMessage("The SpeechLM URL 'gpu-1:8000' needs http:// or https:// and a host, e.g. speechlm:http://gpu-1:8000/v1.");
        assertThatThrownBy(() -> EmotionModels.parse("speechlm:http://h/v1?modle=x"))
                .hasMessageStartingWith("Unknown SpeechLM option 'modle' in speechlm:http://h/v1?modle=x; known: model, ask,");
        assertThatThrownBy(() -> EmotionModels.parse("speechlm:http://h/v1?rps=lots"))
                .hasMessage("The SpeechLM option rps=lots is not a number.");
        assertThatThrownBy(() -> EmotionModels.parse("speechlm:http://h/v1?timeout=soon"))
                .hasMessage("The SpeechLM option timeout=soon is not a duration; write e.g. 800ms or 10s.");
        assertThatThrownBy(() -> EmotionModels.parse("speechlm:http://h/v1?ask=angry"))
                .hasMessageStartingWith("Unknown SpeechLM ask rule 'angry'");
        assertThatThrownBy(() -> EmotionModels.parse("speechlm:http://h/v1?sample=2"))
                .hasMessage("the SpeechLM policy needs confidence-below and sample between 0 and 1");
        assertThatThrownBy(() -> EmotionModels.parse("speechlm:http://me:secret@h/v1")).hasMessage("The SpeechLM URL names a"
                + " user and password, which would then appear in every event; leave them out and put the API key in the"
                + " environment variable EMOSTREAM_SPEECHLM_API_KEY.");
        assertThatThrownBy(() -> EmotionModels.parse("speechlm:http://h/v1?ask=alerting&confidence-below=0.3")).hasMessage("The"
                + " SpeechLM option confidence-below needs low-confidence among the ask rules (ask=alerting); add it, or leave"
                + " confidence-below out.");
        assertThatThrownBy(() -> EmotionModels.parse("tflite:/m+speechlm:http://h/v1"))
                .hasMessageStartingWith("unknown emotion model 'tflite:/m'; use cue");
        assertThatThrownBy(() -> EmotionModels.check("onnx:/no/such/dir+speechlm:http://h/v1"))
                .hasMessageStartingWith("The model directory /no/such/dir does not exist");
    }
}
