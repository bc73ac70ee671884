package io.emostream.launcher;

import io.emostream.sinks.SinksApp;
import io.emostream.sinks.SinksConfig;
import io.emostream.sinks.calls.AlertRules;
import io.emostream.sinks.dashboard.Dashboard;
import io.emostream.sinks.dashboard.DashboardServer;
import io.emostream.sinks.dashboard.LiveFeed;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The Streams application and the dashboard against an existing Kafka, as Compose and Kubernetes run them. */
@Command(name = "sinks", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the Kafka Streams application and the live dashboard against an existing Kafka.",
            "The application reads emotion.events and streams.ended and writes calls.summary, groups.summary and"
                + " alerts. Ctrl-C stops both."},
        footer = {"", "Examples:",
            "  bin/emotion sinks --bootstrap localhost:9092",
            "  bin/emotion sinks --bootstrap kafka:19092 --host 0.0.0.0 --token-file /run/secrets/dashboard-token"})
final class SinksCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "${EMOSTREAM_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}; env EMOSTREAM_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--application-id", defaultValue = "emostream-sinks",
            description = "Kafka Streams application id: instances with the same id share the calls (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--state-dir", defaultValue = ".emostream/sinks", paramLabel = "DIR",
            description = "Where the Streams state lives (default: ${DEFAULT-VALUE}); rebuilt from Kafka when lost.")
    Path stateDir;

    @CommandLine.Mixin
    DashboardOptions dashboardOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DashboardServer.Settings settings = dashboardOptions.settings(spec, "emostream");
        AlertRules rules = dashboardOptions.rules(spec);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean failed = new AtomicBoolean();
        SinksApp sinks = SinksApp.start(SinksConfig.defaults(bootstrap).withApplicationId(applicationId).withRules(rules), stateDir,
                () -> {
                    // A dashboard over a dead application would show a frozen picture: exit, and let the
                    // supervisor (Kubernetes, Compose) restart us.
                    spec.commandLine().getErr().println("sinks: the Streams application stopped after an error (logged above); exiting.");
                    failed.set(true);
                    stopped.countDown();
                });
        Dashboard dashboard;
        try {
            dashboard = Dashboard.start(bootstrap, LiveFeed.Topics.defaults(), settings, dashboardOptions.hideTranscripts, rules);
        } catch (IllegalStateException e) {
            sinks.close();
            throw new EmotionCli.UserException("--port: " + e.getMessage(), e);
        }
        Runnable stop = () -> {
            try {
                dashboard.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sinks.close();
            }
        };
        Thread onInterrupt = new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "emostream-sinks-shutdown");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        spec.commandLine().getOut().printf("Aggregating %s into calls.summary and alerts; dashboard at %s. Ctrl-C stops.%n",
                bootstrap, dashboard.url());
        spec.commandLine().getOut().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
            stop.run();
        }
        if (failed.get()) {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
            stop.run();
            return EmotionCli.INPUT_FAILED;
        }
        return 0;
    }
}
