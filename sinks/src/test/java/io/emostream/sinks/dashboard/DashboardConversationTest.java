package io.emostream.sinks.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.sinks.calls.AlertRules;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's API for issue 15's analytics on a real Jetty server: what it serves, and what it keeps back. */
@Timeout(60)
class DashboardConversationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private String get(DashboardServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aCallServesItsConversationCategoriesAndPolicyAndAWithheldRoleHasNoEmotion() throws Exception {
        LiveView view = new LiveView(false, AlertRules.defaults(), Dashboard.CALL_RETENTION.toMillis());
        try (DashboardServer server = DashboardServer.start(DashboardServer.Settings.defaults().withPort(0), view)) {
            AnalysedCall.feed(view, server, AnalysedCall.events("c1", System.currentTimeMillis()));

            JsonNode call = JSON.readTree(get(server, "/api/calls")).path("calls").get(0);
            assertThat(call.path("conversation").path("overTalkMs").asLong()).isEqualTo(2_000);
            assertThat(call.path("conversation").path("deadAirMs").asLong()).isEqualTo(1_000);
            assertThat(call.path("conversation").path("interruptions").get(0).path("by").asText()).isEqualTo("CUSTOMER");
            assertThat(call.path("categories")).extracting(JsonNode::asText).containsExactly("churn_risk");
            assertThat(call.path("emotionPolicies")).extracting(JsonNode::asText).containsExactly("no-emotion-for AGENT");
            JsonNode agent = call.path("roles").get(0);
            assertThat(agent.path("role").asText()).isEqualTo("AGENT");
            assertThat(agent.path("emotionWithheld").asBoolean()).isTrue();
            assertThat(agent.path("arousal").isNull()).isTrue();
            assertThat(agent.path("recentArousal")).as("no emotion to draw").isEmpty();

            JsonNode events = JSON.readTree(get(server, "/api/calls/c1")).path("events");
            assertThat(events.get(1).path("phrases").get(0).path("text").asText()).isEqualTo("cancel my account");
            assertThat(events.get(1).path("mismatch").path("words").asText()).isEqualTo(AnalysedCall.POLITE);
            assertThat(events.get(0).path("label").isNull()).isTrue();
        }
    }

    @Test
    void withTranscriptsHiddenNeitherTheMatchedPhraseNorTheQuotedWordsLeave() throws Exception {
        LiveView view = new LiveView(true, AlertRules.defaults(), Dashboard.CALL_RETENTION.toMillis());
        try (DashboardServer server = DashboardServer.start(DashboardServer.Settings.defaults().withPort(0), view)) {
            AnalysedCall.feed(view, server, AnalysedCall.events("c1", System.currentTimeMillis()));

            String call = get(server, "/api/calls/c1");
            String alerts = get(server, "/api/alerts");
            JsonNode cutIn = JSON.readTree(call).path("events").get(1);
            assertThat(cutIn.path("phrases").get(0).path("category").asText()).isEqualTo("churn_risk");
            assertThat(cutIn.path("phrases").get(0).path("text").isNull()).isTrue();
            assertThat(cutIn.path("mismatch").path("words").asText()).isEqualTo("positive words");
            assertThat(cutIn.path("mismatch").path("voice").asText()).isEqualTo(AnalysedCall.LOUD);
            assertThat(call + alerts).doesNotContain("cancel my account", "great", "words of");
            assertThat(JSON.readTree(alerts).path("alerts")).extracting(a -> a.path("rule").asText()).contains("phrase:churn_risk");
        }
    }
}
