package io.emostream.ingest.siprec;

import io.emostream.ingest.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a recording client offers in SDP (RFC 4566) that a recording server needs: its media lines with their
 * payload formats, SIPREC's {@code a=label} (RFC 4574) and direction. Everything else is ignored.
 */
record SdpOffer(List<Media> media) {

    /**
     * One m-line.
     *
     * @param rtpmap    payload type → "encoding/clock rate", from {@code a=rtpmap}
     * @param label     the stream's label, which the metadata's streams refer to; null when absent
     * @param direction sendonly, recvonly, sendrecv or inactive (sendrecv when not said)
     */
    record Media(String type, int port, String protocol, List<Integer> formats, Map<Integer, String> rtpmap,
                 String label, String direction) {

        /** A stream the client sends us in plain RTP: one we can record. */
        boolean isRecordableAudio() {
            return type.equals("audio") && port != 0 && (protocol.equals("RTP/AVP") || protocol.equals("RTP/AVPF"))
                    && (direction.equals("sendonly") || direction.equals("sendrecv"));
        }

        /** The format this m-line offers for {@code codec} at {@code sampleRate}, or null. */
        RtpFormat format(RtpFormat.Codec codec, int sampleRate) {
            for (int pt : formats) {
                RtpFormat format = formatOf(pt);
                if (format != null && format.codec() == codec && format.sampleRate() == sampleRate) {
                    return format;
                }
            }
            return null;
        }

        /** The payload type as a format we take, from its rtpmap or RFC 3551's static table; null when we do not. */
        RtpFormat formatOf(int payloadType) {
            String map = rtpmap.get(payloadType);
            if (map == null) {
                return switch (payloadType) {
                    case 0 -> new RtpFormat(0, RtpFormat.Codec.PCMU, 8000);
                    case 8 -> new RtpFormat(8, RtpFormat.Codec.PCMA, 8000);
                    case 11 -> new RtpFormat(11, RtpFormat.Codec.L16, 44100);
                    default -> null;
                };
            }
            String[] pieces = map.split("/");
            RtpFormat.Codec codec = RtpFormat.Codec.named(pieces[0].strip());
            // A third piece is the channel count: only mono streams are taken.
            if (codec == null || pieces.length < 2 || (pieces.length > 2 && !pieces[2].strip().equals("1"))) {
                return null;
            }
            try {
                return new RtpFormat(payloadType, codec, Integer.parseInt(pieces[1].strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    static SdpOffer parse(String sdp) {
        List<Media> media = new ArrayList<>();
        MediaBuilder current = null;
        String sessionDirection = "sendrecv";
        for (String line : sdp.split("\r?\n")) {
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            char kind = line.charAt(0);
            String value = line.substring(2).strip();
            if (kind == 'm') {
                if (current != null) {
                    media.add(current.build());
                }
                current = new MediaBuilder(value, sessionDirection);
            } else if (kind == 'a') {
                String direction = direction(value);
                if (current == null) {
                    sessionDirection = direction == null ? sessionDirection : direction;
                } else {
                    current.attribute(value, direction);
                }
            }
        }
        if (current != null) {
            media.add(current.build());
        }
        if (media.isEmpty()) {
            throw new InvalidInputException("the SDP offer has no media line");
        }
        return new SdpOffer(media);
    }

    private static String direction(String attribute) {
        return switch (attribute.toLowerCase(Locale.ROOT)) {
            case "sendonly", "recvonly", "sendrecv", "inactive" -> attribute.toLowerCase(Locale.ROOT);
            default -> null;
        };
    }

    private static final class MediaBuilder {
        private final String type;
        private final int port;
        private final String protocol;
        private final List<Integer> formats = new ArrayList<>();
        private final Map<Integer, String> rtpmap = new LinkedHashMap<>();
        private String label;
        private String direction;

        MediaBuilder(String mLine, String sessionDirection) {
            String[] fields = mLine.split("\\s+");
            if (fields.length < 4) {
                throw new InvalidInputException("the SDP media line 'm=" + InvalidInputException.printable(mLine)
                        + "' needs a type, port, protocol and format");
            }
            type = fields[0].toLowerCase(Locale.ROOT);
            try {
                // "port/count" is allowed by RFC 4566; only the port matters here.
                int slash = fields[1].indexOf('/');
                port = Integer.parseInt(slash < 0 ? fields[1] : fields[1].substring(0, slash));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("the SDP media line 'm=" + InvalidInputException.printable(mLine)
                        + "' has no valid port", e);
            }
            protocol = fields[2].toUpperCase(Locale.ROOT);
            for (int i = 3; i < fields.length; i++) {
                try {
                    formats.add(Integer.parseInt(fields[i]));
                } catch (NumberFormatException e) {
                    // Non-RTP formats (e.g. "webrtc-datachannel") have no payload type to take.
                }
            }
            direction = sessionDirection;
        }

        void attribute(String value, String direction) {
            if (direction != null) {
                this.direction = direction;
            } else if (value.regionMatches(true, 0, "label:", 0, 6)) {
                label = value.substring(6).strip();
            } else if (value.regionMatches(true, 0, "rtpmap:", 0, 7)) {
                String[] pieces = value.substring(7).strip().split("\\s+", 2);
                try {
                    if (pieces.length == 2) {
                        rtpmap.put(Integer.parseInt(pieces[0]), pieces[1].strip());
                    }
                } catch (NumberFormatException e) {
                    // A malformed rtpmap only loses that payload type.
                }
            }
        }

        Media build() {
            return new Media(type, port, protocol, List.copyOf(formats), Map.copyOf(rtpmap), label, direction);
        }
    }
}
