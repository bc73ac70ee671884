package io.emostream.ingest.siprec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which offered m-lines become channels of the call, and in which format. A call has one encoding and sample rate,
 * so one codec is chosen for all its streams: the one most streams offer, earlier in the offer on a tie (the
 * offerer's preference, RFC 3264 §6.1). Streams that do not offer it, that are not audio, not plain RTP or not
 * sent to us are not recorded. Codecs taken: PCMU and PCMA at 8 kHz, L16 at 8 or 16 kHz.
 *
 * @param lines the offered m-line index of each channel, channel 0 first
 */
record MediaPlan(RtpFormat.Codec codec, int sampleRate, List<Integer> lines, List<RtpFormat> formats) {

    /** The plan for an initial offer, or null when no stream offers a codec we take. */
    static MediaPlan choose(SdpOffer offer) {
        Map<String, Integer> coverage = new LinkedHashMap<>();
        Map<String, RtpFormat> candidates = new LinkedHashMap<>();
        for (SdpOffer.Media media : offer.media()) {
            if (!media.isRecordableAudio()) {
                continue;
            }
            media.formats().stream().map(media::formatOf).filter(f -> f != null && isTaken(f))
                    .map(f -> new RtpFormat(0, f.codec(), f.sampleRate())).distinct().forEach(f -> {
                        String key = f.rtpmap();
                        candidates.putIfAbsent(key, f);
                        coverage.merge(key, 1, Integer::sum);
                    });
        }
        String best = null;
        for (Map.Entry<String, Integer> entry : coverage.entrySet()) {
            if (best == null || entry.getValue() > coverage.get(best)) {
                best = entry.getKey();
            }
        }
        if (best == null) {
            return null;
        }
        RtpFormat chosen = candidates.get(best);
        List<Integer> lines = new ArrayList<>();
        List<RtpFormat> formats = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            SdpOffer.Media media = offer.media().get(i);
            RtpFormat format = media.isRecordableAudio() ? media.format(chosen.codec(), chosen.sampleRate()) : null;
            if (format != null) {
                lines.add(i);
                formats.add(format);
            }
        }
        return new MediaPlan(chosen.codec(), chosen.sampleRate(), List.copyOf(lines), List.copyOf(formats));
    }

    /** The channel an offered m-line feeds, or -1. */
    int channelOf(int line) {
        return lines.indexOf(line);
    }

    int channels() {
        return lines.size();
    }

    private static boolean isTaken(RtpFormat format) {
        return switch (format.codec()) {
            case PCMU, PCMA -> format.sampleRate() == 8000;
            case L16 -> format.sampleRate() == 8000 || format.sampleRate() == 16000;
        };
    }

    /**
     * The SDP answer: each recorded stream {@code recvonly} on its port in the call's format (or {@code inactive}
     * while the client holds it), every other m-line, and every one offered with port 0, rejected with port 0
     * (RFC 3264 §6).
     *
     * @param ports the local RTP port of each channel
     */
    String answer(SdpOffer offer, String address, long sessionVersion, List<Integer> ports) {
        String ipVersion = address.indexOf(':') >= 0 ? "IP6" : "IP4";
        StringBuilder sdp = new StringBuilder()
                .append("v=0\r\n")
                .append("o=emostream ").append(ports.isEmpty() ? 0 : ports.get(0)).append(' ').append(sessionVersion)
                .append(" IN ").append(ipVersion).append(' ').append(address).append("\r\n")
                .append("s=emostream recording\r\n")
                .append("c=IN ").append(ipVersion).append(' ').append(address).append("\r\n")
                .append("t=0 0\r\n");
        for (int i = 0; i < offer.media().size(); i++) {
            SdpOffer.Media media = offer.media().get(i);
            int channel = channelOf(i);
            RtpFormat format = channel < 0 ? null : media.format(codec, sampleRate);
            // A stream offered with port 0 is refused by the offerer itself: its answer has port 0 too (RFC 3264 §6).
            if (format == null || media.port() == 0) {
                int firstFormat = media.formats().isEmpty() ? 0 : media.formats().get(0);
                sdp.append("m=").append(media.type()).append(" 0 ").append(media.protocol()).append(' ')
                        .append(firstFormat).append("\r\n");
            } else {
                sdp.append("m=audio ").append(ports.get(channel)).append(' ').append(media.protocol()).append(' ')
                        .append(format.payloadType()).append("\r\n")
                        .append("a=rtpmap:").append(format.payloadType()).append(' ').append(format.rtpmap()).append("\r\n");
            }
            if (media.label() != null) {
                sdp.append("a=label:").append(media.label()).append("\r\n");
            }
            boolean receiving = format != null && media.isRecordableAudio();
            sdp.append(receiving ? "a=recvonly" : "a=inactive").append("\r\n");
        }
        return sdp.toString();
    }

    /** The formats a later offer (re-INVITE, UPDATE) uses for the call's channels: null where it holds a stream. */
    List<RtpFormat> formatsIn(SdpOffer offer) {
        List<RtpFormat> now = new ArrayList<>(lines.size());
        for (int line : lines) {
            SdpOffer.Media media = line < offer.media().size() ? offer.media().get(line) : null;
            now.add(media == null || !media.isRecordableAudio() ? null : media.format(codec, sampleRate));
        }
        return now;
    }
}
