package io.emostream.ingest.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audio of an Icecast or Shoutcast stream asked for with {@code Icy-MetaData: 1}: the server then puts a
 * metadata block after every {@code icy-metaint} bytes of audio (one length byte, times 16 bytes of text such as
 * {@code StreamTitle='Show - Segment';StreamUrl='';}, padded with zeros). This stream removes the blocks, so the
 * decoder sees audio only, and tells {@code onMetadata} of every block that differs from the one before.
 */
public final class IcyMetadataStream extends BlockInputStream {
    /** {@code Key='value';} pairs; a value may itself hold quotes, so it ends only at a quote before ';' and the next key or the end. */
    private static final Pattern FIELD = Pattern.compile("(\\w+)='(.*?)';(?=\\w+='|\\s*$)", Pattern.DOTALL);

    private final InputStream in;
    private final int interval;
    private final Consumer<Map<String, String>> onMetadata;
    private int untilMetadata;
    private String last = "";

    /**
     * @param interval   the server's {@code icy-metaint}: audio bytes between two metadata blocks
     * @param onMetadata told the fields of each changed block (e.g. {@code StreamTitle}), on the reading thread
     */
    public IcyMetadataStream(InputStream in, int interval, Consumer<Map<String, String>> onMetadata) {
        this.in = in;
        if (interval <= 0) {
            throw new IllegalArgumentException("icy-metaint must be positive, not " + interval);
        }
        this.interval = interval;
        this.untilMetadata = interval;
        this.onMetadata = onMetadata;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (untilMetadata == 0) {
            if (!readMetadata()) {
                return -1;
            }
            untilMetadata = interval;
        }
        int n = in.read(b, off, Math.min(len, untilMetadata));
        if (n > 0) {
            untilMetadata -= n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads one block; false when the stream ended cleanly before it (between blocks). */
    private boolean readMetadata() throws IOException {
        int length = in.read();
        if (length < 0) {
            return false;
        }
        byte[] block = in.readNBytes(length * 16);
        if (block.length < length * 16) {
            throw new EOFException("the stream ended inside an ICY metadata block");
        }
        if (length == 0) {
            return true; // "nothing new": the usual case
        }
        String text = decode(block).replace("\0", "").strip();
        if (!text.equals(last)) {
            last = text;
            onMetadata.accept(parse(text));
        }
        return true;
    }

    /** The fields of one block's text, in order; text that is not {@code Key='value';} pairs yields none. */
    static Map<String, String> parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = FIELD.matcher(text);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2));
        }
        return fields;
    }

    /** Servers send UTF-8 nowadays and Latin-1 from older encoders: UTF-8 when the bytes are valid UTF-8. */
    private static String decode(byte[] block) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(block)).toString();
        } catch (CharacterCodingException e) {
            return new String(block, StandardCharsets.ISO_8859_1);
        }
    }
}
