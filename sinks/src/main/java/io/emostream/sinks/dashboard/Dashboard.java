package io.emostream.sinks.dashboard;

import io.emostream.sinks.calls.AlertRules;
import java.time.Duration;

/** The dashboard running: its feed from Kafka, its view, its HTTP server. */
public final class Dashboard implements AutoCloseable {
    /** Calls leave the wallboard this long after their last event, as they leave the Streams store. */
    public static final Duration CALL_RETENTION = Duration.ofHours(2);

    private final DashboardServer server;
    private final LiveFeed feed;

    private Dashboard(DashboardServer server, LiveFeed feed) {
        this.server = server;
        this.feed = feed;
    }

    /** @param rules the alert rules the Streams application applies; the wallboard ranks calls by the same thresholds */
    public static Dashboard start(String bootstrap, LiveFeed.Topics topics, DashboardServer.Settings settings,
                                  boolean hideTranscripts, AlertRules rules) {
        LiveView view = new LiveView(hideTranscripts, rules, CALL_RETENTION.toMillis());
        DashboardServer server = DashboardServer.start(settings, view);
        try {
            return new Dashboard(server, LiveFeed.start(bootstrap, topics, view, server::publish));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Where to open it, and how to pass the token when there is one. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() throws InterruptedException {
        feed.close();
        server.close();
    }
}
