package io.emostream.job.analysis;

import java.io.Serializable;
import java.util.List;

/**
 * How utterances are interpreted once measured: the domain whose label priors apply, the phrase rules the words are
 * matched against, and the roles whose emotion is withheld. Part of {@link io.emostream.job.JobConfig}.
 *
 * @param domain       the domain profile ({@code contact-centre}, {@code podcast}, {@code msp-podcast}); null picks
 *                     it by each call's source
 * @param rulesFile    a phrase rule file replacing the bundled contact-centre pack; null for the bundled pack
 * @param noEmotionFor roles (as in {@code SpeakerRole}, e.g. AGENT) whose events carry no emotion
 */
public record AnalysisSettings(String domain, String rulesFile, List<String> noEmotionFor) implements Serializable {

    public AnalysisSettings {
        noEmotionFor = List.copyOf(noEmotionFor);
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(null, null, List.of());
    }

    public AnalysisSettings withDomain(String profile) {
        return new AnalysisSettings(profile, rulesFile, noEmotionFor);
    }

    public AnalysisSettings withRulesFile(String file) {
        return new AnalysisSettings(domain, file, noEmotionFor);
    }

    public AnalysisSettings withNoEmotionFor(List<String> roles) {
        return new AnalysisSettings(domain, rulesFile, roles);
    }
}
