package io.emostream.launcher;

import io.emostream.job.analysis.AnalysisSettings;
import io.emostream.job.domain.DomainProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How the job interprets utterances, the same for {@code analyze}, {@code evaluate} and {@code demo}. */
final class AnalysisOptions {
    @Option(names = "--domain", paramLabel = "contact-centre|podcast|msp-podcast",
            description = "Whose label priors the cue estimator applies (default: contact-centre for agents, customers and"
                    + " telephony calls, podcast otherwise); see inference-job/README.md.")
    String domain;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Phrase rules to use instead of the bundled contact-centre pack; see inference-job/README.md.")
    Path rules;

    @Option(names = "--no-emotion-for", paramLabel = "ROLE,...", split = ",",
            description = "Roles whose utterances carry no emotion (e.g. agent: EU AI Act, Art. 5(1)(f)); see README.")
    List<String> noEmotionFor = List.of();

    /** The job's analysis settings; an unknown domain or a rule file that cannot be read is bad usage, named before anything starts. */
    AnalysisSettings settings(CommandLine.Model.CommandSpec spec) {
        String domainId = null;
        if (domain != null) {
            try {
                domainId = DomainProfile.named(domain).id();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--domain is " + DomainProfile.ALLOWED + ", not '" + domain + "'.");
            }
        }
        if (rules != null && !Files.isReadable(rules)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--rules: cannot read " + rules + "; give a readable phrase rule file.");
        }
        return AnalysisSettings.defaults()
                .withDomain(domainId)
                .withRulesFile(rules == null ? null : rules.toAbsolutePath().toString())
                .withNoEmotionFor(noEmotionFor.stream().map(role -> role.strip().toUpperCase(Locale.ROOT)).toList());
    }
}
