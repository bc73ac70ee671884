package io.emostream.sinks.dashboard;

import static io.emostream.sinks.Events.mismatched;
import static io.emostream.sinks.Events.saying;
import static io.emostream.sinks.Events.unsure;
import static io.emostream.sinks.Events.utterance;
import static io.emostream.sinks.Events.withheld;

import io.emostream.schema.Alert;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.SpeakerRole;
import io.emostream.sinks.calls.AlertRules;
import io.emostream.sinks.calls.CallTracker;
import java.util.List;

/**
 * A call as issue 15's analytics see it, for the dashboard tests: the agent's emotion withheld by policy; the
 * customer cutting in on the agent at 4 s with a churn phrase, polite words in a loud voice, unsure between angry
 * and happy; a second of dead air; the agent again. Over-talk 2 s of the 11 s anyone spoke.
 */
final class AnalysedCall {
    static final String POLITE = "positive words ('great', 'thanks')";
    static final String LOUD = "loud, fast, raised pitch";

    private AnalysedCall() {
    }

    /** In the order the job writes them (as each utterance ends), stamped as emitted from {@code nowMs}. */
    static List<EmotionEvent> events(String call, long nowMs) {
        EmotionEvent cutIn = unsure(mismatched(saying(utterance(call, SpeakerRole.CUSTOMER, 4, 8, "angry", 0.6, 0.3),
                "cancel-account", "churn_risk", "cancel my account", "WARNING"), POLITE, LOUD), "happy");
        return List.of(withheld(utterance(call, SpeakerRole.AGENT, 0, 6, "neutral", 0.1, 0.1)), cutIn,
                        withheld(utterance(call, SpeakerRole.AGENT, 9, 12, "neutral", 0.1, 0.1))).stream()
                .map(event -> EmotionEvent.newBuilder(event).setEmitTimeMs(nowMs + event.getEndMs()).build()).toList();
    }

    /** Feeds the events through the tracker, as the Streams application would, into the view and the server's stream. */
    static void feed(LiveView view, DashboardServer server, List<EmotionEvent> events) {
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
}
