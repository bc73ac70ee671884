package io.emostream.launcher;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.kafka.KafkaUnavailableException;
import io.emostream.sinks.SinksApp;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/emotion}: the one command users run. Each subcommand is one thing a user does. */
@Command(name = "emotion",
        mixinStandardHelpOptions = true,
        versionProvider = EmotionCli.Version.class,
        description = "emostream: real-time speech-emotion analytics on Kafka and Flink.",
        subcommands = {DemoCommand.class, IngestCommand.class, BrokerCommand.class, AnalyzeCommand.class, EvaluateCommand.class, SinksCommand.class, TailCommand.class, BenchCommand.class, BuildEngineCommand.class, CommandLine.HelpCommand.class})
public final class EmotionCli implements Runnable {
    /** Exit status when any input was rejected or not delivered, or the command could not do its work. */
    public static final int INPUT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with emostream's error handling: user errors in one line, our bugs with a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EmotionCli());
        cli.setParameterExceptionHandler((error, args) -> {
            CommandLine command = error.getCommandLine();
            command.getErr().println(command.getCommandName() + ": " + error.getMessage());
            // A subcommand's full path, e.g. "bench audiohook", without the root command's own name.
            String path = command.getCommandSpec().qualifiedName(" ").replaceFirst("^\\S+\\s?", "");
            command.getErr().println("Run 'bin/emotion " + (path.isEmpty() ? "" : path + " ") + "--help' for the options.");
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (isUserError(error)) {
                err.println(commandLine.getCommandName() + ": " + error.getMessage());
                return INPUT_FAILED;
            }
            err.println(commandLine.getCommandName() + ": internal error, please report it with the trace below.");
            error.printStackTrace(err);
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Errors a user can cause and fix: bad options, unreadable config, unreachable Kafka, busy ports. Anything
     * else, a plain IllegalArgumentException included, is our bug and is shown with its trace.
     */
    static boolean isUserError(Exception error) {
        return error instanceof InvalidInputException
                || error instanceof KafkaUnavailableException
                || error instanceof SinksApp.InputTopicsException
                || error instanceof UserException;
    }

    /** A problem the user can fix, described in one sentence. */
    static final class UserException extends RuntimeException {
        UserException(String message) {
            super(message);
        }

        UserException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EmotionCli.class.getPackage().getImplementationVersion();
            return new String[] {"emostream " + (version == null ? "development build" : version)};
        }
    }
}
