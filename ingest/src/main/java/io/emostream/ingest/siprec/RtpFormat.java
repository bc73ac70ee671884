package io.emostream.ingest.siprec;

import io.emostream.schema.AudioEncoding;
import java.util.Locale;

/**
 * The audio format agreed for one RTP stream: its payload type number in the offer, the codec and the clock rate.
 * Every stream of a call uses the same codec and rate, since a call has one encoding and sample rate.
 */
public record RtpFormat(int payloadType, Codec codec, int sampleRate) {

    /** The codecs a recording is taken in, each kept as it arrives: no transcoding, so audio stays bit-exact. */
    public enum Codec {
        PCMU(AudioEncoding.MULAW, 1),
        PCMA(AudioEncoding.ALAW, 1),
        /** 16-bit linear PCM in network byte order (RFC 3551 §4.5.11), turned little-endian. */
        L16(AudioEncoding.PCM_S16LE, 2);

        private final AudioEncoding encoding;
        private final int bytesPerSample;

        Codec(AudioEncoding encoding, int bytesPerSample) {
            this.encoding = encoding;
            this.bytesPerSample = bytesPerSample;
        }

        public AudioEncoding encoding() {
            return encoding;
        }

        public int bytesPerSample() {
            return bytesPerSample;
        }

        /** The codec an SDP encoding name stands for (case-insensitive), or null when we do not take it. */
        static Codec named(String encodingName) {
            return switch (encodingName.toUpperCase(Locale.ROOT)) {
                case "PCMU" -> PCMU;
                case "PCMA" -> PCMA;
                case "L16" -> L16;
                default -> null;
            };
        }
    }

    /** The rtpmap value of this format, e.g. {@code PCMU/8000}. */
    public String rtpmap() {
        return codec.name() + "/" + sampleRate;
    }

    /**
     * Copies an RTP payload into {@code out} in the call's encoding: μ-law and A-law bytes unchanged, L16 with each
     * sample's bytes swapped to little-endian. An odd last byte of L16 is not a sample and is left out.
     *
     * @return the number of bytes written
     */
    public int decode(byte[] payload, int offset, int length, byte[] out) {
        if (codec != Codec.L16) {
            System.arraycopy(payload, offset, out, 0, length);
            return length;
        }
        int samples = length / 2;
        for (int i = 0; i < samples; i++) {
            out[2 * i] = payload[offset + 2 * i + 1];
            out[2 * i + 1] = payload[offset + 2 * i];
        }
        return samples * 2;
    }
}
