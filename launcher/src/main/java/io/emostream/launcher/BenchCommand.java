package io.emostream.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/emotion bench ...}: benchmarks a user can run; each stage has its own subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks on this machine: `bench ingest` measures ingest throughput into Kafka,",
            "`bench stages` the CPU cost of each stage of the job."},
        subcommands = {BenchIngestCommand.class, BenchStagesCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
