package io.emostream.launcher;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.AudioEncodings;
import io.emostream.ingest.chunk.CallChunker;
import io.emostream.ingest.chunk.CallFormat;
import io.emostream.ingest.chunk.CallIdentity;
import io.emostream.ingest.chunk.CallIds;
import io.emostream.ingest.chunk.SpeakerRoles;
import io.emostream.ingest.file.FileIngest;
import io.emostream.ingest.file.IngestOutcome;
import io.emostream.ingest.kafka.ChunkPublisher;
import io.emostream.ingest.kafka.KafkaSettings;
import io.emostream.ingest.live.LiveIngestServer;
import io.emostream.ingest.feed.FeedIngest;
import io.emostream.ingest.feed.FeedState;
import io.emostream.ingest.net.SourceException;
import io.emostream.ingest.stream.UrlIngest;
import io.emostream.schema.SpeakerRole;
import io.emostream.schema.Topics;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Stream audio into Kafka as AudioChunks, keyed by call id.",
            "Give recordings or directories, or --stdin, or --url (live HTTP streams, HLS, recordings behind URLs), or live"
                + " endpoints: --listen PORT (our WebSocket, Genesys AudioHook, Twilio Media Streams), --audiosocket PORT"
                + " (Asterisk), --siprec PORT (SBCs).",
            "Each channel of a file becomes its own speaker stream; --roles names them in order.",
            "Exit status: 0 when everything went through, 1 when any input was rejected or not delivered"
                + " or Kafka could not be used, 2 for bad usage."},
        footer = {"", "Examples:",
            "  bin/emotion ingest --roles agent,customer calls/",
            "  bin/emotion ingest --realtime --chunk-ms 20 call1.wav call2.wav",
            "  bin/emotion ingest --url https://radio.example.org/live.mp3 --roles host --series \"Morning show\"",
            "  bin/emotion ingest --url https://cdn.example.org/show/playlist.m3u8 --duration 3600",
            "  arecord -f S16_LE -r 16000 | bin/emotion ingest --stdin --rate 16000 --encoding s16le --call-id mic-1",
            "  bin/emotion ingest --listen 8090 --token-file token.txt",
            "  bin/emotion ingest --listen 8443 --audiohook-api-key-file key.txt",
            "  bin/emotion ingest --siprec 5060 --audiosocket 9092 --audiosocket 9093:agent"})
final class IngestCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", defaultValue = Topics.AUDIO_CHUNKS, description = "Topic to write (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--chunk-ms", defaultValue = "100", description = "Audio per chunk, 10..1000 ms (default: ${DEFAULT-VALUE}).")
    int chunkMs;

    @Option(names = "--realtime", description = "Send at the audio's own speed, all files at once, like live calls.")
    boolean realtime;

    @Option(names = "--roles", paramLabel = "ROLE,...", defaultValue = "",
            description = "Role of channel 0, 1, ...: agent, customer, host, guest, unknown (default: unknown).")
    String roles;

    @Option(names = "--speakers", paramLabel = "NAME,...",
            description = "Who speaks on channel 0, 1, ... (an agent id, a host's name; empty: unknown), e.g. sam,")
    String speakers;

    @Option(names = "--series", paramLabel = "NAME", description = "What the calls belong to: a show, a queue, a campaign.")
    String series;

    @Option(names = "--call-id", paramLabel = "ID", description = "Call id for a single input (default: the file name; for stdin, stdin-<time>).")
    String callId;

    @Option(names = "--stdin", description = "Read one call from standard input.")
    boolean stdin;

    @Option(names = "--rate", defaultValue = "16000", description = "With --stdin: sample rate in Hz (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--encoding", defaultValue = "s16le",
            description = "With --stdin: s16le, mulaw, alaw, or wav for a WAV stream (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(names = "--channels", defaultValue = "1", description = "With --stdin: interleaved channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--listen", paramLabel = "PORT", description = "Accept live calls on this HTTP port: emostream's"
            + " WebSocket at " + LiveIngestServer.PATH + ", Genesys AudioHook at /audiohook, Twilio Media Streams at /twilio.")
    Integer listenPort;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Interface every live endpoint binds (default: ${DEFAULT-VALUE}); on a non-local one each protocol"
                    + " needs its own authentication.")
    String host;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Clients of " + LiveIngestServer.PATH + " must send this bearer token (env EMOSTREAM_INGEST_TOKEN works too).")
    Path tokenFile;

    @Option(names = "--no-auth", description = "On a non-local interface: accept clients without a token, and serve"
            + " protocols whose credentials are not configured.")
    boolean noAuth;

    @Mixin
    LiveOptions live;

    @Mixin
    UrlOptions url;

    @Mixin
    FeedOptions feed;

    @Option(names = "--audio-track", paramLabel = "N", defaultValue = "0",
            description = "Which audio track of a media file (mp4, mkv, webm, mov ...) to ingest, counting from 0 (default: 0, the first).")
    int audioTrack;

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "Recordings (wav, mp3, m4a, ogg, opus, flac, or the"
            + " audio of mp4, mkv, webm, mov), or directories searched for them.")
    List<Path> inputs = List.of();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        boolean liveMode = listenPort != null || live.hasPortsOfTheirOwn();
        int modes = (inputs.isEmpty() ? 0 : 1) + (stdin ? 1 : 0) + (liveMode ? 1 : 0) + (url.given() ? 1 : 0) + (feed.given() ? 1 : 0);
        if (modes != 1) {
            throw usage("Give recordings or directories, --stdin, --url, --feed, or live endpoints (--listen, --audiosocket,"
                    + " --siprec): exactly one of them.");
        }
        if (feed.follow && !feed.given()) {
            throw usage("--follow follows a podcast feed: give it with --feed URL.");
        }
        if (callId != null && url.urls.size() > 1) {
            throw usage("--call-id names one call, but " + url.urls.size() + " URLs were given.");
        }
        if (chunkMs < CallChunker.MIN_CHUNK_MS || chunkMs > CallChunker.MAX_CHUNK_MS) {
            throw usage("--chunk-ms must be between " + CallChunker.MIN_CHUNK_MS + " and " + CallChunker.MAX_CHUNK_MS
                    + ", not " + chunkMs + ".");
        }
        if (audioTrack < 0) {
            throw usage("--audio-track counts from 0, so it cannot be " + audioTrack + ".");
        }
        String callIdProblem = callId == null ? null : CallIds.problemWith(callId);
        if (callIdProblem != null) {
            throw usage("--call-id: " + callIdProblem + ".");
        }
        List<SpeakerRole> roleList;
        try {
            roleList = roles.isBlank() ? List.of() : SpeakerRoles.parse(roles);
        } catch (InvalidInputException e) {
            throw usage("--roles: " + e.getMessage() + ".");
        }
        CallIdentity identity;
        try {
            identity = CallIdentity.parse(speakers, series);
        } catch (InvalidInputException e) {
            throw usage("--speakers/--series: " + e.getMessage() + ".");
        }
        FileIngest.Options options = new FileIngest.Options(chunkMs, realtime, roleList, stdin ? stdinCallId() : callId, identity,
                audioTrack);
        KafkaSettings settings = kafka.settings(topic);
        if (liveMode) {
            return listen(settings);
        }
        if (url.given()) {
            return ingestUrls(settings, options);
        }
        if (feed.given()) {
            return ingestFeed(settings, options, identity);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean oneAtATime = !(realtime && inputs.size() > 1);
        try (ChunkPublisher publisher = ChunkPublisher.open(settings); RecordingProgress progress = new RecordingProgress(err)) {
            FileIngest ingest = new FileIngest(publisher, options, outcome -> {
                progress.close();
                print(outcome, out, err);
            });
            if (oneAtATime) {
                ingest.showingProgress(progress);
            }
            // Ctrl-C ends every call at the audio read so far and waits (briefly) until it is delivered.
            try (CtrlC ctrlC = CtrlC.stops("emostream-ingest-stop", ingest::requestStop, Duration.ofSeconds(15))) {
                List<IngestOutcome> outcomes = stdin ? List.of(ingestStdin(ingest, options.callId(), roleList, options.identity()))
                        : ingest.ingestPaths(inputs);
                publisher.flush();
                return summarize(outcomes, publisher, out, err);
            }
        }
    }

    /** Each URL on a thread of its own, all at once, as live calls are; Ctrl-C ends every call at what was read. */
    private int ingestUrls(KafkaSettings settings, FileIngest.Options options) {
        UrlIngest.Settings streams = url.settings(spec, realtime, true);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ChunkPublisher publisher = ChunkPublisher.open(settings)) {
            UrlIngest ingest = new UrlIngest(publisher, options, streams, notice -> {
                synchronized (out) {
                    out.println(notice);
                    out.flush();
                }
            });
            try (CtrlC ctrlC = CtrlC.stops("emostream-ingest-stop", ingest::requestStop, Duration.ofSeconds(15))) {
                out.printf("Reading %d URL%s into %s at %s. Ctrl-C stops.%n", url.urls.size(), url.urls.size() == 1 ? "" : "s",
                        settings.topic(), settings.bootstrapServers());
                out.flush();
                List<IngestOutcome> outcomes = url.ingestAll(ingest, callId, done -> print(done, out, err));
                publisher.flush();
                return summarize(outcomes, publisher, out, err);
            }
        }
    }

    /** A podcast feed's new episodes, once or (--follow) as they appear, until Ctrl-C. */
    private int ingestFeed(KafkaSettings settings, FileIngest.Options options, CallIdentity identity) {
        FeedIngest.Settings feedSettings = feed.settings(spec);
        FeedState state = feed.state();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FeedPrinter printer = new FeedPrinter(out, err);
        try (ChunkPublisher publisher = ChunkPublisher.open(settings); RecordingProgress progress = new RecordingProgress(err)) {
            // Episodes are printed as the feed tells of them; the file ingest's own reports would repeat them.
            FileIngest files = new FileIngest(publisher, options, outcome -> progress.close()).showingProgress(progress);
            FeedIngest ingest = new FeedIngest(feed.feed, files, state, identity, feedSettings, printer);
            try (CtrlC ctrlC = CtrlC.stops("emostream-ingest-stop", ingest::requestStop, Duration.ofSeconds(15))) {
                if (feed.follow) {
                    out.printf("Following %s every %d s into %s at %s; episodes remembered in %s. Ctrl-C stops.%n", feed.feed,
                            feed.pollS, settings.topic(), settings.bootstrapServers(), state.file());
                    out.flush();
                    ingest.follow();
                } else {
                    ingest.ingestNew();
                }
            } catch (SourceException e) {
                throw new EmotionCli.UserException(e.getMessage() + ".", e);
            }
            publisher.flush();
            return summarize(printer.outcomes(), publisher, out, err);
        }
    }

    private IngestOutcome ingestStdin(FileIngest ingest, String id, List<SpeakerRole> roleList, CallIdentity identity) {
        InputStream in = new BufferedInputStream(System.in, 1 << 16);
        if (encoding.equalsIgnoreCase("wav")) {
            return ingest.ingestWavStream("standard input", in, id, "stdin:");
        }
        CallFormat format;
        try {
            format = new CallFormat(id, rate, AudioEncodings.parse(encoding), SpeakerRoles.forChannels(roleList, channels), "stdin:",
                    identity);
        } catch (InvalidInputException e) {
            throw usage("standard input: " + e.getMessage() + "; check --rate, --encoding and --channels.");
        }
        return ingest.ingestRawStream("standard input", in, format);
    }

    private String stdinCallId() {
        return callId != null ? callId : "stdin-" + System.currentTimeMillis() / 1000;
    }

    private int listen(KafkaSettings settings) {
        String token = Options.token(tokenFile, "EMOSTREAM_INGEST_TOKEN");
        boolean local = isLoopback(host);
        if (listenPort != null && token == null && !local && !noAuth) {
            throw new EmotionCli.UserException("Listening on " + host + " would let anyone who reaches it stream audio;"
                    + " give --token-file (or EMOSTREAM_INGEST_TOKEN), or --no-auth if that is really intended.");
        }
        // The options are checked before Kafka is, so that a mistake in them is the first thing said.
        live.validate(chunkMs, host, local, noAuth);
        ChunkPublisher publisher = ChunkPublisher.open(settings);
        LiveEndpoints endpoints;
        try {
            endpoints = LiveEndpoints.start(live, publisher, chunkMs, host, listenPort, token, local, noAuth);
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
        // Ctrl-C, or an interrupt of this thread when embedded: closing the endpoints ends every open call
        // (end-of-stream on each channel) before the last flush.
        PrintWriter out = spec.commandLine().getOut();
        Runnable shutdown = () -> {
            try {
                endpoints.close();
            } finally {
                publisher.flush();
                publisher.close();
                out.println(endpoints.summary());
                out.flush();
            }
        };
        CountDownLatch stopped = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            shutdown.run();
            stopped.countDown();
        }, "emostream-ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        out.printf("Listening for live calls on %s; chunks go to %s at %s. Ctrl-C stops.%n", host, settings.topic(),
                settings.bootstrapServers());
        endpoints.print(out);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            CtrlC.removeHook(onInterrupt);
            shutdown.run();
        }
        return endpoints.calls().stats().undeliverable() > 0 || publisher.failed() > 0 ? EmotionCli.INPUT_FAILED : 0;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new EmotionCli.UserException("--host " + host + " is not an address or a name this machine can resolve.", e);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static void print(IngestOutcome outcome, PrintWriter out, PrintWriter err) {
        synchronized (out) {
            if (outcome instanceof IngestOutcome.Ingested ok) {
                out.printf("%s -> call %s: %s, %d chunks%n", ok.input(), ok.callId(), ok.description(), ok.chunks());
                ok.warnings().forEach(w -> err.printf("warning: %s: %s%n", ok.input(), w));
            } else if (outcome instanceof IngestOutcome.Rejected rejected) {
                err.printf("rejected: %s: %s%n", rejected.input(), rejected.reason());
            }
            out.flush();
            err.flush();
        }
    }

    private static int summarize(List<IngestOutcome> outcomes, ChunkPublisher publisher, PrintWriter out, PrintWriter err) {
        List<IngestOutcome.Ingested> ingested = outcomes.stream()
                .filter(IngestOutcome.Ingested.class::isInstance).map(IngestOutcome.Ingested.class::cast).toList();
        long rejected = outcomes.size() - ingested.size();
        double seconds = ingested.stream().mapToDouble(IngestOutcome.Ingested::seconds).sum();
        out.printf(Locale.ROOT, "Ingested %d of %d inputs (%.1f s of audio, %d chunks delivered) into %s at %s.%n",
                ingested.size(), outcomes.size(), seconds, publisher.delivered(), publisher.settings().topic(),
                publisher.settings().bootstrapServers());
        long undelivered = 0;
        for (IngestOutcome.Ingested call : ingested) {
            if (call.delivery().failed() > 0) {
                undelivered++;
                err.printf("not delivered: %s: %d of %d chunks of call %s failed (first error: %s); ingest it again.%n",
                        call.input(), call.delivery().failed(), call.chunks(), call.callId(), call.delivery().firstFailure());
            }
        }
        if (rejected > 0) {
            err.printf("%d input%s rejected (see above).%n", rejected, rejected == 1 ? " was" : "s were");
        }
        out.flush();
        err.flush();
        return rejected > 0 || undelivered > 0 || publisher.failed() > 0 ? EmotionCli.INPUT_FAILED : 0;
    }
}
