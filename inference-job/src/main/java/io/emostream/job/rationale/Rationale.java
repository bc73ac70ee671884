package io.emostream.job.rationale;

import java.util.List;

/** A rationale's text and the claims about measured cues it makes. */
public record Rationale(String text, List<Claim> claims) {
    public Rationale {
        claims = List.copyOf(claims);
    }
}
