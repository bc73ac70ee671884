package io.emostream.ingest.siprec;

import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.live.LiveCalls;
import io.emostream.ingest.live.LiveLimits;
import io.emostream.kafka.EmbeddedKafka;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The SIPREC benchmark's two processes, run by hand (the command is in the report of the SIPREC round):
 * {@code kafka} starts a broker and prints its bootstrap address; {@code server BOOTSTRAP SIP_PORT SECONDS} runs
 * the recording server into it and prints, every 5 s, the calls in progress and the process's CPU over the
 * interval, so the CPU of the recording server is measured apart from the broker's.
 */
public final class SiprecLoad {
    private SiprecLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("kafka")) {
            try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
                System.out.println("bootstrap " + kafka.bootstrapServers());
                Thread.sleep(Long.MAX_VALUE);
            }
        } else if (args.length == 4 && args[0].equals("server")) {
            serve(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            // The SIP stack leaves threads behind that would keep the process alive.
            System.exit(0);
        } else {
            System.err.println("usage: SiprecLoad kafka | SiprecLoad server BOOTSTRAP SIP_PORT SECONDS");
            System.exit(2);
        }
    }

    private static void serve(String bootstrap, int sipPort, int seconds) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (ChunkPublisher publisher = ChunkPublisher.open(KafkaSettings.of(bootstrap, "audio.chunks"))) {
            LiveCalls calls = new LiveCalls(publisher, LiveLimits.defaults());
            SiprecServer server = SiprecServer.start(SiprecSettings.defaults(sipPort)
                    .withRtpPorts(new RtpPortRange(40000, 49999)), calls);
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            for (int t = 5; t <= seconds; t += 5) {
                Thread.sleep(5000);
                long cpuNow = os.getProcessCpuTime();
                long wallNow = System.nanoTime();
                double cores = (double) (cpuNow - cpu) / (wallNow - wall);
                int active = server.activeSessions();
                System.out.printf(Locale.ROOT, "t=%ds active=%d started=%d refused=%d undeliverable=%d cpu=%.1f%% "
                                + "cpu/call=%.2f%%%n", t, active, calls.stats().started(), calls.stats().refused(),
                        calls.stats().undeliverable(), cores * 100, active == 0 ? 0 : cores * 100 / active);
                cpu = cpuNow;
                wall = wallNow;
            }
            server.close();
            publisher.flush();
        }
    }
}
