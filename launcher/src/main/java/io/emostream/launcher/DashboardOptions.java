package io.emostream.launcher;

import io.emostream.sinks.calls.AlertRules;
import io.emostream.sinks.dashboard.DashboardServer;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The dashboard's and the alert rules' options, the same for {@code demo} and {@code sinks}. */
final class DashboardOptions {
    @Option(names = "--port", defaultValue = "8080", description = "Dashboard port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Dashboard interface (default: ${DEFAULT-VALUE}; any other needs a token).")
    String host;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Dashboard visitors must present this token (env EMOSTREAM_DASHBOARD_TOKEN works too).")
    Path tokenFile;

    @Option(names = "--hide-transcripts", description = "Leave transcripts out of everything the dashboard serves.")
    boolean hideTranscripts;

    @Option(names = "--alert-rules", paramLabel = "FILE",
            description = "Alert rule thresholds to change, as properties (e.g. consecutive=4); see sinks/README.md.")
    Path alertRules;

    /** The server's settings; a non-local address without a token is bad usage. */
    DashboardServer.Settings settings(CommandLine.Model.CommandSpec spec, String title) {
        try {
            return new DashboardServer.Settings(host, port, Options.token(tokenFile, "EMOSTREAM_DASHBOARD_TOKEN"), title);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    AlertRules rules(CommandLine.Model.CommandSpec spec) {
        return Options.alertRules(spec, alertRules);
    }
}
