package io.emostream.launcher;

import io.emostream.job.analysis.AnalysisSettings;
import io.emostream.job.phrases.PhraseRules;
import io.emostream.job.phrases.RuleFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How the job interprets utterances, the same for {@code analyze}, {@code evaluate} and {@code demo}. */
final class AnalysisOptions {
    @Option(names = "--domain", paramLabel = "contact-centre|podcast|msp-podcast",
            description = "Whose label priors apply (default: by source: calls contact-centre, files and streams podcast).")
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

    @Option(names = "--no-emotion-for", paramLabel = "ROLE,...", split = ",",
            description = "Roles whose utterances carry no emotion (e.g. agent: EU AI Act, Art. 5(1)(f)); see README.")
    List<String> noEmotionFor = List.of();

    /** The job's analysis settings. */
    AnalysisSettings settings(CommandLine.Model.CommandSpec spec) {
        return AnalysisSettings.defaults()
                .withDomain(domain == null ? null : domain.toLowerCase(Locale.ROOT))
                .withRulesFile(rules == null ? null : rules.toAbsolutePath().toString())
                .withNoEmotionFor(noEmotionFor.stream().map(role -> role.strip().toUpperCase(Locale.ROOT)).toList());
    }
}
