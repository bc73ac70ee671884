package io.emostream.ingest.siprec;

import io.emostream.ingest.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a SIP message body (RFC 2046 multipart, as SIPREC uses it: SDP plus recording metadata), or the
 * body itself as one part when it is not multipart. Headers of a part other than Content-Type are not needed.
 */
final class MultipartBody {
    record Part(String contentType, String content) {
        /** The media type alone, lower case, without parameters. */
        String mediaType() {
            return mediaTypeOf(contentType);
        }
    }

    private MultipartBody() {
    }

    static List<Part> parse(String contentType, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType == null || !mediaTypeOf(contentType).startsWith("multipart/")) {
            return text.isEmpty() ? List.of() : List.of(new Part(contentType == null ? "" : contentType, text));
        }
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new InvalidInputException("the multipart body's Content-Type has no boundary parameter");
        }
        String delimiter = "--" + boundary;
        List<Part> parts = new ArrayList<>();
        int at = text.indexOf(delimiter);
        if (at < 0) {
            throw new InvalidInputException("the multipart body does not contain its boundary '"
                    + InvalidInputException.printable(boundary) + "'");
        }
        while (true) {
            int start = at + delimiter.length();
            if (text.startsWith("--", start)) {
                break;
            }
            int next = text.indexOf(delimiter, start);
            if (next < 0) {
                // A last part without its closing delimiter: taken as it is, as lenient peers do.
                next = text.length();
            }
            parts.add(part(text.substring(lineEnd(text, start), stripLineBreak(text, start, next))));
            if (next == text.length()) {
                break;
            }
            at = next;
        }
        return parts;
    }

    static String mediaTypeOf(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** A parameter of a header value such as {@code multipart/mixed;boundary="abc"}, unquoted; null when absent. */
    static String parameter(String headerValue, String name) {
        for (String piece : headerValue.split(";")) {
            int equals = piece.indexOf('=');
            if (equals > 0 && piece.substring(0, equals).strip().equalsIgnoreCase(name)) {
                String value = piece.substring(equals + 1).strip();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    private static Part part(String raw) {
        int split = raw.indexOf("\r\n\r\n");
        int bodyStart = split + 4;
        if (split < 0) {
            split = raw.indexOf("\n\n");
            bodyStart = split + 2;
        }
        String headers = split < 0 ? raw : raw.substring(0, split);
        String content = split < 0 ? "" : raw.substring(bodyStart);
        String contentType = "text/plain";
        for (String line : headers.split("\r?\n")) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip();
            if (name.equalsIgnoreCase("Content-Type") || name.equals("c")) {
                contentType = line.substring(colon + 1).strip();
            }
        }
        return new Part(contentType, content);
    }

    /** The index after the line break that ends the delimiter line starting at {@code from}. */
    private static int lineEnd(String text, int from) {
        int newline = text.indexOf('\n', from);
        return newline < 0 ? text.length() : newline + 1;
    }

    /** The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1), not to the part. */
    private static int stripLineBreak(String text, int from, int delimiter) {
        int end = delimiter;
        if (end > from && text.charAt(end - 1) == '\n') {
            end--;
            if (end > from && text.charAt(end - 1) == '\r') {
                end--;
            }
        }
        return Math.max(end, lineEnd(text, from));
    }
}
