package io.emostream.ingest.chunk;

import io.emostream.ingest.InvalidInputException;
import io.emostream.schema.AudioEncoding;
import java.util.Locale;

/** Encoding names as users and clients write them. */
public final class AudioEncodings {
    public static final String NAMES = "s16le, mulaw, alaw";

    private AudioEncodings() {
    }

    public static AudioEncoding parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "s16le", "pcm_s16le", "pcm" -> AudioEncoding.PCM_S16LE;
            case "mulaw", "ulaw", "u-law", "μ-law" -> AudioEncoding.MULAW;
            case "alaw", "a-law" -> AudioEncoding.ALAW;
            default -> throw new InvalidInputException("unknown encoding '" + InvalidInputException.printable(name)
                    + "'; use one of " + NAMES);
        };
    }
}
