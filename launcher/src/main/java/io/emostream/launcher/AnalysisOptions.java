package io.emostream.launcher;

import io.emostream.job.analysis.AnalysisSettings;
import io.emostream.job.domain.DomainProfile;
import io.emostream.job.phrases.PhraseRules;
import io.emostream.job.phrases.RuleFileException;
import io.emostream.job.policy.EmotionPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How the job interprets utterances, the same for {@code analyze}, {@code evaluate} and {@code demo}. */
final class AnalysisOptions {
    /** How the launcher shows an utterance whose emotion --no-emotion-for withheld, in place of its label. */
    static final String WITHHELD = "emotion withheld (policy)";

    @Option(names = "--domain", paramLabel = "contact-centre|podcast|msp-podcast",
            description = "Whose label priors the cue estimator applies (default: contact-centre for agents, customers and"
                    + " telephony calls, podcast otherwise); see inference-job/README.md.")
    String domain;

    @Option(names = "--rules", paramLabel = "FILE", converter = RuleFileCheck.class,
            description = "Phrase rules to use instead of the bundled contact-centre pack; see inference-job/README.md.")
    Path rules;

    /** Reads the rule file as the option is parsed, so that a bad one is named, file and line, before anything starts. */
    static final class RuleFileCheck implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path file = Path.of(value);
            try {
                PhraseRules.load(file);
            } catch (RuleFileException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
            return file;
        }
    }

    /** The withheld roles as SpeakerRole names (AGENT), checked as they are parsed. */
    List<String> noEmotionFor = List.of();

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    /** An unknown role is bad usage before anything starts (picocli hands an array all values given so far). */
    @Option(names = "--no-emotion-for", paramLabel = "ROLE,...", split = ",",
            description = "Roles whose utterances carry no emotion (e.g. agent: EU AI Act, Art. 5(1)(f)); see README.")
    void noEmotionFor(String[] roles) {
        try {
            noEmotionFor = EmotionPolicy.withholdingFor(List.of(roles)).withheldRoles();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), "--no-emotion-for: " + e.getMessage() + ".");
        }
    }

    /** The job's analysis settings; an unknown domain is bad usage, named before anything starts. */
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
        return AnalysisSettings.defaults()
                .withDomain(domainId)
                .withRulesFile(rules == null ? null : rules.toAbsolutePath().toString())
                .withNoEmotionFor(noEmotionFor);
    }
}
