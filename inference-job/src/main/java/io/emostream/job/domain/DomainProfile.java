package io.emostream.job.domain;

import io.emostream.job.model.LabelPrior;
import io.emostream.job.model.LabelSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How often each emotion occurs where the audio comes from, per speaker role: the prior the cue estimator multiplies
 * its likelihoods by ({@code --domain}). The figures are shares of utterances over the default label set, in its
 * order (neutral, happy, sad, angry, surprised, fearful, disgusted, contemptuous). Where they come from, and which
 * are engineering choices, is in inference-job/README.md ("Domain priors"); in short:
 * <ul>
 * <li>{@code msp-podcast}: the shape of MSP-Podcast's primary-emotion labels (neutral the largest class, happy next,
 * then anger and sadness, with contempt, surprise, disgust and fear rare), as its papers and challenges describe the
 * imbalance; rounded by us, as exact counts per release could not be checked from here. The corpus has no roles, so
 * every role gets the same figures.</li>
 * <li>{@code podcast}: podcasts at large. MSP-Podcast's segments were retrieved by emotion detectors to enrich the
 * rare emotions, so ordinary podcast speech is more neutral than the corpus: an engineering choice that moves
 * weight from every emotion to neutral. No published figure tells hosts from guests: the same for every role.</li>
 * <li>{@code contact-centre}: an engineering choice. Agents are trained to stay calm and friendly; customers call
 * with a problem, so anger is their likeliest emotion after neutral. A channel whose role is not known gets the
 * average of the two.</li>
 * </ul>
 */
public enum DomainProfile {
    CONTACT_CENTRE("contact-centre", Map.of(
            "AGENT", shares(0.75, 0.15, 0.02, 0.02, 0.02, 0.01, 0.01, 0.02),
            "CUSTOMER", shares(0.60, 0.10, 0.05, 0.12, 0.03, 0.04, 0.03, 0.03),
            "UNKNOWN", shares(0.675, 0.125, 0.035, 0.07, 0.025, 0.025, 0.02, 0.025))),
    PODCAST("podcast", Map.of(
            "UNKNOWN", shares(0.60, 0.20, 0.05, 0.05, 0.03, 0.02, 0.02, 0.03))),
    MSP_PODCAST("msp-podcast", Map.of(
            "UNKNOWN", shares(0.43, 0.25, 0.09, 0.10, 0.04, 0.015, 0.025, 0.05)));

    /** Source prefixes of telephony platforms (see AudioChunk.source): their calls are contact-centre calls. */
    private static final List<String> TELEPHONY = List.of("audiohook:", "twilio:", "audiosocket:", "siprec:");

    /** The ids as a sentence names them: "contact-centre, podcast or msp-podcast". */
    public static final String ALLOWED = String.join(", ", Arrays.stream(values()).map(DomainProfile::id)
            .limit(values().length - 1).toList()) + " or " + values()[values().length - 1].id;

    private final String id;
    /** Role (a SpeakerRole name) → label shares; roles not listed take UNKNOWN's. */
    private final Map<String, Map<String, Double>> byRole;

    DomainProfile(String id, Map<String, Map<String, Double>> byRole) {
        this.id = id;
        this.byRole = byRole;
    }

    /** As {@code --domain} names it, e.g. "contact-centre". */
    public String id() {
        return id;
    }

    /** The profile {@code --domain} names; one sentence naming the domains otherwise. */
    public static DomainProfile named(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(profile -> profile.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown domain '" + name + "': the domain is "
                        + ALLOWED + "."));
    }

    /**
     * The profile for an utterance when none was configured: contact-centre for an agent or a customer, or for
     * audio from a telephony platform; podcast otherwise (hosts, guests, files, streams).
     *
     * @param role   a SpeakerRole name
     * @param source as in AudioChunk.source, e.g. "twilio:203.0.113.7:443"
     */
    public static DomainProfile byDefault(String role, String source) {
        boolean telephony = source != null && TELEPHONY.stream().anyMatch(source::startsWith);
        return "AGENT".equals(role) || "CUSTOMER".equals(role) || telephony ? CONTACT_CENTRE : PODCAST;
    }

    /** The prior for a speaker of this role (a SpeakerRole name) in this domain. */
    public LabelPrior prior(String role) {
        String known = byRole.containsKey(role) ? role : "UNKNOWN";
        return new LabelPrior(id + ", " + known.toLowerCase(Locale.ROOT), byRole.get(known));
    }

    private static Map<String, Double> shares(double... perLabel) {
        List<String> labels = LabelSet.MSP_PODCAST.labels();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            shares.put(labels.get(i), perLabel[i]);
        }
        return shares;
    }
}
