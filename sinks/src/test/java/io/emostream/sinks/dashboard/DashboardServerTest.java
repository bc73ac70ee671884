package io.emostream.sinks.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.schema.Alert;
import io.emostream.schema.CallSummary;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.StreamEnd;
import io.emostream.schema.StreamEndReason;
import io.emostream.sinks.calls.AlertRules;
import io.emostream.sinks.calls.CallTracker;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's HTTP side on a real Jetty server: API, event stream, token, hidden transcripts. */
@Timeout(60)
class DashboardServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** Feeds a call through the tracker as the Streams application would, into the view. */
    private static void feed(LiveView view, DashboardServer server, List<EmotionEvent> events) {
        CallTracker tracker = CallTracker.start(events.get(0).getCallId());
        for (EmotionEvent event : events) {
            CallTracker.Update update = tracker.apply(event, AlertRules.defaults());
            server.publish("utterance", view.onEvent(event));
            server.publish("call", view.onSummary(update.summary()));
            for (Alert alert : update.alerts()) {
                server.publish("alert", view.onAlert(alert));
            }
        }
    }

    private static EmotionEvent said(String call, SpeakerRole role, int second, String label, double arousal, double valence) {
        long startMs = second * 1000L;
        return EmotionEvent.newBuilder().setUtteranceId(call + "/" + role.ordinal() + "/" + startMs * 16).setCallId(call)
                .setChannel(role.ordinal()).setRole(role).setSource("test:").setStartMs(startMs).setEndMs(startMs + 2000)
                .setTranscript("I said " + label).setTranscriptStatus(io.emostream.schema.TranscriptStatus.PRESENT)
                .setLabel(label).setScores(java.util.Map.of(label, 1.0)).setArousal(arousal).setValence(valence)
                .setConfidence(0.7).setRationale("because → " + label + ".").setCues(List.of()).setModelId("test")
                .setLastChunkIngestTimeMs(System.currentTimeMillis()).setVadEndTimeMs(System.currentTimeMillis())
                .setEmitTimeMs(System.currentTimeMillis()).build();
    }

    private JsonNode get(DashboardServer server, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("status", response.statusCode());
        return body;
    }

    @Test
    void servesActiveCallsEscalatingFirstWithTheirUtterancesAndAlerts() throws Exception {
        LiveView view = new LiveView(false, AlertRules.defaults(), Dashboard.CALL_RETENTION.toMillis());
        try (DashboardServer server = DashboardServer.start(DashboardServer.Settings.defaults().withPort(0), view)) {
            feed(view, server, List.of(said("calm-1", SpeakerRole.AGENT, 0, "neutral", 0, 0.2)));
            feed(view, server, List.of(said("hot-1", SpeakerRole.CUSTOMER, 0, "angry", 0.8, -0.6),
                    said("hot-1", SpeakerRole.CUSTOMER, 3, "angry", 0.8, -0.6), said("hot-1", SpeakerRole.CUSTOMER, 6, "angry", 0.9, -0.7)));

            JsonNode calls = get(server, "/api/calls", null);
            assertThat(calls.path("calls")).extracting(c -> c.path("callId").asText()).containsExactly("hot-1", "calm-1");
            JsonNode hot = calls.path("calls").get(0);
            assertThat(hot.path("attention").asInt()).isEqualTo(2);
            assertThat(hot.path("openAlerts").asInt()).isEqualTo(1);
            assertThat(hot.path("roles").get(0).path("recentArousal")).hasSize(3);

            JsonNode call = get(server, "/api/calls/hot-1", null);
            assertThat(call.path("events")).extracting(e -> e.path("transcript").asText())
                    .containsExactly("I said angry", "I said angry", "I said angry");
            assertThat(get(server, "/api/alerts", null).path("alerts").get(0).path("rule").asText()).isEqualTo("customer_escalation");
            assertThat(get(server, "/api/calls/nobody", null).path("status").asInt()).isEqualTo(404);
            feed(view, server, List.of(said("+4412", SpeakerRole.CUSTOMER, 0, "neutral", 0, 0)));
            assertThat(get(server, "/api/calls/%2B4412", null).path("call").path("callId").asText())
                    .as("an id with '+', encoded as a browser does, is decoded once").isEqualTo("+4412");
        }
    }

    @Test
    void anEndedCallLeavesTheLiveListForTheRecentlyEndedOnesAndStillOpens() throws Exception {
        LiveView view = new LiveView(false, AlertRules.defaults(), Dashboard.CALL_RETENTION.toMillis());
        try (DashboardServer server = DashboardServer.start(DashboardServer.Settings.defaults().withPort(0), view)) {
            List<CallTracker> trackers = new ArrayList<>();
            for (int i = 0; i < LiveView.RECENTLY_ENDED + 2; i++) {
                CallTracker tracker = CallTracker.start("done-" + i);
                view.onSummary(tracker.apply(said("done-" + i, SpeakerRole.AGENT, 0, "neutral", 0, 0.1), AlertRules.defaults())
                        .summary());
                trackers.add(tracker);
            }
            feed(view, server, List.of(said("live-1", SpeakerRole.CUSTOMER, 0, "neutral", 0, 0)));
            assertThat(get(server, "/api/calls", null).path("calls")).as("all live before they end")
                    .hasSize(LiveView.RECENTLY_ENDED + 3);

            for (int i = 0; i < trackers.size(); i++) {
                CallSummary ended = trackers.get(i).end(StreamEnd.newBuilder().setCallId("done-" + i).setChannel(0)
                        .setChannels(1).setReason(StreamEndReason.END_OF_STREAM).setEndMs(2_000)
                        .setEndTimeMs(1_000_000L + i).build()).orElseThrow();
                server.publish("call", view.onSummary(ended));
            }
            JsonNode calls = get(server, "/api/calls", null);
            assertThat(calls.path("calls")).extracting(c -> c.path("callId").asText()).containsExactly("live-1");
            assertThat(calls.path("calls").get(0).path("live").asBoolean()).isTrue();
            assertThat(calls.path("calls").get(0).path("endedAtMs").isNull()).isTrue();
            JsonNode ended = calls.path("ended");
            assertThat(ended).as("the most recently ended, newest first").hasSize(LiveView.RECENTLY_ENDED);
            assertThat(ended.get(0).path("callId").asText()).isEqualTo("done-" + (LiveView.RECENTLY_ENDED + 1));
            assertThat(ended.get(0).path("endedAtMs").asLong()).isEqualTo(1_000_000L + LiveView.RECENTLY_ENDED + 1);
            assertThat(ended.get(0).path("live").asBoolean()).isFalse();
            assertThat(ended).extracting(c -> c.path("callId").asText()).doesNotContain("done-0", "done-1");
            assertThat(get(server, "/api/calls/done-0", null).path("call").path("live").asBoolean())
                    .as("an ended call no longer listed still opens").isFalse();
            assertThat(get(server, "/api/config", null).path("recentlyEnded").asInt()).isEqualTo(LiveView.RECENTLY_ENDED);
        }
    }

    @Test
    void theEventStreamPushesEachChangeToTheBrowser() throws Exception {
        LiveView view = new LiveView(false, AlertRules.defaults(), Dashboard.CALL_RETENTION.toMillis());
        try (DashboardServer server = DashboardServer.start(DashboardServer.Settings.defaults().withPort(0), view)) {
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/stream")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                assertThat(lines.readLine()).isEqualTo(": connected");
                feed(view, server, List.of(said("live-1", SpeakerRole.HOST, 0, "happy", 0.4, 0.5)));
                lines.readLine();
                assertThat(lines.readLine()).isEqualTo("event: utterance");
                assertThat(JSON.readTree(lines.readLine().substring("data: ".length())).path("utteranceId").asText())
                        .isEqualTo("live-1/" + SpeakerRole.HOST.ordinal() + "/0");
                lines.readLine();
                assertThat(lines.readLine()).isEqualTo("event: call");
            }
        }
    }

    @Test
    void withATokenNothingIsServedWithoutItAndTheLinkSetsACookie() throws Exception {
        LiveView view = new LiveView(false, AlertRules.defaults(), Dashboard.CALL_RETENTION.toMillis());
        DashboardServer.Settings settings = DashboardServer.Settings.defaults().withPort(0).withHostAndToken("0.0.0.0", "s3cret");
        try (DashboardServer server = DashboardServer.start(settings, view)) {
            assertThat(get(server, "/api/calls", null).path("status").asInt()).isEqualTo(401);
            assertThat(get(server, "/api/calls", "wrong").path("status").asInt()).isEqualTo(401);
            assertThat(get(server, "/api/calls", "s3cret").path("status").asInt()).isEqualTo(200);

            HttpResponse<String> link = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/?token=s3cret")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(link.statusCode()).isEqualTo(302);
            String cookie = link.headers().firstValue("set-cookie").orElseThrow();
            assertThat(cookie).startsWith("emostream_token=s3cret").containsIgnoringCase("HttpOnly");
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<html");
            HttpResponse<String> callLink = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/call.html?id=pod%20ep+3&token=s3cret")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(callLink.headers().firstValue("location")).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/call.html?id=pod+ep+3"));
        }
        assertThatThrownBy(() -> DashboardServer.Settings.defaults().withHostAndToken("0.0.0.0", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("give it a token");
    }

    @Test
    void withTranscriptsHiddenNoTranscriptTextLeavesTheServer() throws Exception {
        LiveView view = new LiveView(true, AlertRules.defaults(), Dashboard.CALL_RETENTION.toMillis());
        try (DashboardServer server = DashboardServer.start(DashboardServer.Settings.defaults().withPort(0), view)) {
            feed(view, server, List.of(said("p-1", SpeakerRole.CUSTOMER, 0, "angry", 0.8, -0.6),
                    said("p-1", SpeakerRole.CUSTOMER, 3, "angry", 0.8, -0.6), said("p-1", SpeakerRole.CUSTOMER, 6, "angry", 0.8, -0.6)));

            String everything = get(server, "/api/calls/p-1", null).toString() + get(server, "/api/alerts", null);
            assertThat(everything).doesNotContain("I said").contains("\"transcriptStatus\":\"HIDDEN\"");
            assertThat(get(server, "/api/config", null).path("hideTranscripts").asBoolean()).isTrue();
        }
    }

    @Test
    void agentsComeBeforeSeriesEachWithItsWindows() throws Exception {
        LiveView view = new LiveView(false, AlertRules.defaults(), Dashboard.CALL_RETENTION.toMillis());
        try (DashboardServer server = DashboardServer.start(DashboardServer.Settings.defaults().withPort(0), view)) {
            EmotionEvent agent = EmotionEvent.newBuilder(said("g-1", SpeakerRole.AGENT, 0, "neutral", 0.1, 0.2))
                    .setSpeaker("sam").setSeries("billing").build();
            var tracker = io.emostream.sinks.groups.GroupTracker.start(io.emostream.schema.GroupKind.SERIES, "billing");
            tracker.apply(agent, agent.getEmitTimeMs(), AlertRules.defaults()).forEach(s -> view.onGroup("series/billing", s));
            var sam = io.emostream.sinks.groups.GroupTracker.start(io.emostream.schema.GroupKind.AGENT, "sam");
            sam.apply(agent, agent.getEmitTimeMs(), AlertRules.defaults()).forEach(s -> view.onGroup("agent/sam", s));

            JsonNode groups = get(server, "/api/groups", null).path("groups");
            assertThat(groups).extracting(g -> g.path("key").asText()).containsExactly("agent/sam", "series/billing");
            assertThat(groups.get(0).path("windows").path("15").path("utterances").asInt()).isEqualTo(1);
            assertThat(groups.get(0).path("windows").path("60").path("calls").asInt()).isEqualTo(1);
        }
    }

    @Test
    void endedCallsAreForgottenAsRecordsArriveWithoutAnyBrowserAsking() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());
        LiveView view = new LiveView(false, AlertRules.defaults(), Dashboard.CALL_RETENTION.toMillis(), now::get);
        long threeHoursAgo = now.get() - java.time.Duration.ofHours(3).toMillis();
        EmotionEvent old = EmotionEvent.newBuilder(said("old-1", SpeakerRole.AGENT, 0, "neutral", 0, 0)).setEmitTimeMs(threeHoursAgo).build();
        view.onEvent(old);
        view.onSummary(CallTracker.start("old-1").apply(old, AlertRules.defaults()).summary());
        view.onEvent(EmotionEvent.newBuilder(said("stray-1", SpeakerRole.AGENT, 0, "neutral", 0, 0)).setEmitTimeMs(threeHoursAgo).build());
        assertThat(view.heldCalls()).isEqualTo(2);

        now.addAndGet(61_000);
        view.onEvent(said("new-1", SpeakerRole.AGENT, 0, "neutral", 0, 0));

        assertThat(view.heldCalls()).as("only the live call is kept").isEqualTo(1);
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            LiveView view = new LiveView(false, AlertRules.defaults(), 1);
            assertThatThrownBy(() -> DashboardServer.start(DashboardServer.Settings.defaults().withPort(taken.getLocalPort()), view))
                    .hasMessage("Port " + taken.getLocalPort() + " on 127.0.0.1 is in use; stop what holds it, or choose another"
                            + " port for the dashboard.");
        }
    }
}
