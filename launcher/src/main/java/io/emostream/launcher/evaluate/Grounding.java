package io.emostream.launcher.evaluate;

/**
 * How well the rationales agree with the measured cues, over every utterance of the evaluated items: the share of
 * the prosody claims they make ("raised pitch", "slow") that the utterance's own measurements support, and the
 * share of utterances whose rationale makes at least one claim the measurements contradict.
 */
public record Grounding(long utterances, long claims, long supportedClaims, long utterancesWithContradiction) {
    public static final Grounding NONE = new Grounding(0, 0, 0, 0);

    /** One utterance whose rationale makes {@code claims} claims, {@code contradicted} of them contradicted. */
    public static Grounding ofUtterance(int claims, int contradicted) {
        return new Grounding(1, claims, claims - contradicted, contradicted > 0 ? 1 : 0);
    }

    public Grounding plus(Grounding other) {
        return new Grounding(utterances + other.utterances, claims + other.claims, supportedClaims + other.supportedClaims,
                utterancesWithContradiction + other.utterancesWithContradiction);
    }

    /** Supported claims / claims made; NaN when no rationale made a claim. */
    public double rate() {
        return claims == 0 ? Double.NaN : (double) supportedClaims / claims;
    }

    /** Utterances with a contradicted claim / utterances; NaN when there were none. */
    public double contradictionShare() {
        return utterances == 0 ? Double.NaN : (double) utterancesWithContradiction / utterances;
    }
}
