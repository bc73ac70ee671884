package io.emostream.ingest.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emostream.ingest.InvalidInputException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Which episodes of one feed were ingested completely, so that a later run (or the next poll) skips them. A small
 * JSON file a person can read and edit: one entry per episode with its guid, title, call id, publication date and
 * when it was ingested; removing an entry makes the next run ingest that episode again. Rewritten whole after
 * each episode, through a temporary file moved over the old one, so a crash leaves the old state or the new,
 * never half of one. One process per state file: two following the same feed at once would overwrite each
 * other's entries.
 */
public final class FeedState {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String NOTE = "Episodes of this feed that emostream ingested completely; remove an entry"
            + " to ingest that episode again.";

    private final Path file;
    private final ObjectNode document;
    private final Set<String> guids = new HashSet<>();

    private FeedState(Path file, ObjectNode document) {
        this.file = file;
        this.document = document;
        document.withArray("episodes").forEach(entry -> guids.add(entry.path("guid").asText()));
    }

    /**
     * Where the state of {@code feed} lives by default: {@code <host>-<hash>.json} under {@code directory}, the hash
     * (8 hex digits of the SHA-256 of the whole URL) keeping apart two feeds of one host.
     */
    public static Path defaultFile(Path directory, URI feed) {
        String host = feed.getHost() == null ? "feed" : feed.getHost().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "_");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(feed.toString().getBytes(StandardCharsets.UTF_8));
            return directory.resolve(host + "-" + HexFormat.of().formatHex(digest, 0, 4) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Reads the state in {@code file}, or starts an empty one there (creating its folders and the file, so that a
     * place that cannot be written is found before any episode is fetched).
     *
     * @throws InvalidInputException naming the file, when it cannot be read, written or understood
     */
    public static FeedState open(Path file, URI feed) {
        if (Files.exists(file)) {
            try {
                JsonNode read = JSON.readTree(Files.readAllBytes(file));
                if (read instanceof ObjectNode object && (object.get("episodes") == null || object.get("episodes").isArray())) {
                    return new FeedState(file, object);
                }
                throw new InvalidInputException("the feed state file " + file + " does not hold a list of episodes;"
                        + " move it away to start afresh (every episode is then ingested again)");
            } catch (JsonProcessingException e) {
                throw new InvalidInputException("the feed state file " + file + " is not valid JSON (line "
                        + e.getLocation().getLineNr() + "); mend it, or move it away to start afresh (every episode is"
                        + " then ingested again)", e);
            } catch (IOException e) {
                throw new InvalidInputException("the feed state file " + file + " cannot be read (" + e.getMessage() + ")", e);
            }
        }
        ObjectNode document = JSON.createObjectNode();
        document.put("feed", feed.toString());
        document.put("note", NOTE);
        document.putArray("episodes");
        FeedState state = new FeedState(file, document);
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            state.write();
        } catch (IOException e) {
            throw new InvalidInputException("the feed state file " + file + " cannot be created (" + e.getMessage() + ")", e);
        }
        return state;
    }

    public Path file() {
        return file;
    }

    public synchronized boolean contains(String guid) {
        return guids.contains(guid);
    }

    /** How many episodes are remembered. */
    public synchronized int size() {
        return guids.size();
    }

    /**
     * Remembers an episode as ingested and writes the file. Should the write fail, the episode is still remembered
     * by this object (a following run does not fetch it again), but not by the next process.
     */
    public synchronized void record(Episode episode, String callId, Instant ingestedAt) throws IOException {
        if (!guids.add(episode.guid())) {
            return;
        }
        ObjectNode entry = document.withArray("episodes").addObject();
        entry.put("guid", episode.guid());
        entry.put("title", episode.title());
        entry.put("callId", callId);
        entry.put("published", episode.published() != null ? episode.published().toString() : episode.publishedText());
        entry.put("ingestedAt", ingestedAt.toString());
        write();
    }

    private void write() throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(folder, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(document)));
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
                channel.force(true); // on disk before it replaces the old state
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
